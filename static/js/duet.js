// What several pages share: the CSRF token of a form, and polling a JSON status URL
// until the page says the answer is final. Loaded by base.html before the page's script.
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

  window.Duet = { csrfToken: csrfToken, poll: poll };
})();
