// What several pages share: the CSRF token of a form, watching a JSON status until the
// page says the answer is final (pushed by the server, else polled), and reading a reply
// (or a refusal) in words.
// Loaded by base.html before the page's script.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // GET ``url`` as JSON and hand each reply to ``onData``, which returns true when done.
  // The first request goes after ``options.wait`` ms (0: at once); the waits between
  // replies start at ``delay`` × ``growth`` ms and grow by ``growth`` up to ``max``; after a
  // failed request, the next goes in ``retry`` ms.
  function poll(url, onData, options) {
    var o = Object.assign({ wait: 0, delay: 250, growth: 1.3, max: 2000, retry: 2000 }, options);
    var delay = o.delay;
    function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (onData(data)) return;
          delay = Math.min(delay * o.growth, o.max);
          setTimeout(tick, delay);
        })
        .catch(function () { setTimeout(tick, o.retry); });
    }
    if (o.wait) setTimeout(tick, o.wait);
    else tick();
  }

  // Watch a status the server pushes: each event of the stream at ``streamUrl``
  // (Server-Sent Events) is the JSON ``statusUrl`` answers, handed to ``onData``, which
  // returns true when done. A stream that drops reconnects by itself (the server sends
  // the current state first); where none can be had (no EventSource, no stream URL, an
  // error before the first event, or a reconnect the server refuses) the page polls
  // ``statusUrl`` instead, with ``options`` as for ``poll``.
  function watch(streamUrl, statusUrl, onData, options) {
    if (!streamUrl || !window.EventSource) {
      poll(statusUrl, onData, options);
      return;
    }
    var source = new EventSource(streamUrl);
    var heard = false;
    var over = false;
    source.onmessage = function (event) {
      if (over) return;
      heard = true;
      if (onData(JSON.parse(event.data))) {
        over = true;
        source.close();
      }
    };
    source.onerror = function () {
      if (over || (heard && source.readyState !== EventSource.CLOSED)) return; // reconnecting
      over = true;
      source.close();
      poll(statusUrl, onData, options);
    };
  }

  // A fetch() response as { ok, status, data }, never failing on a body that is not JSON
  // (a proxy's error page, say): ``data`` is then {}.
  function reply(response) {
    return response.json().then(
      function (data) { return { ok: response.ok, status: response.status, data: data || {} }; },
      function () { return { ok: response.ok, status: response.status, data: {} }; }
    );
  }

  // What to tell a person the server refused: its own words when it sent an ``error``,
  // else what the status means. "Could not be reached" is only for no answer at all.
  function refusal(status, data) {
    if (data && data.error) return data.error;
    if (status === 413) return "What you sent is too large for the server. Nothing was saved; make it smaller and try again.";
    if (status === 429) return "Too many requests at once. Wait a little, then try again.";
    if (status === 403) return "The server refused this (were you logged out?). Reload the page, then try again.";
    if (status === 404) return "The server no longer has this page. Reload it to see where things are.";
    if (status >= 500) return "The server failed (error " + status + "). Try again in a minute.";
    if (status < 400) return "The server's answer was not the one expected (were you logged out?). Reload the page, then try again.";
    return "The server refused this (error " + status + "). Reload the page, then try again.";
  }

  window.Duet = { csrfToken: csrfToken, poll: poll, watch: watch, reply: reply, refusal: refusal };
})();
