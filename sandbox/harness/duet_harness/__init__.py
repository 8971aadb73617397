"""Duet's in-container harness.

Two entry points run in every sandbox container, each as its own user:

- ``duet_harness.serve`` (user ``app``) writes the learner's files and supervises the
  app process (``duet_harness.load``) that serves their WSGI app on 127.0.0.1; the
  supervisor alone writes its stdout, framed (``duet_harness.frames``), so Duet's own
  events travel apart from anything the app writes;
- ``duet_harness.grade`` (user ``grader``) writes the hidden tests where the app's user
  cannot read or write, waits for the app to answer, runs pytest and prints the result
  as JSON on its own stdout, which only the runner reads.
"""
