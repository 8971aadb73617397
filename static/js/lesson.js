// Lesson pages: tabs with the same label switch together ("Flask" everywhere, or
// "Django"), the choice is remembered, and wide screens can show both side by side.
(function () {
  "use strict";
  const store = {
    get(key) { try { return localStorage.getItem(key); } catch (e) { return null; } },
    set(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } },
  };

  function choose(label) {
    document.querySelectorAll(".tabbed-set").forEach((set) => {
      set.querySelectorAll(".tabbed-labels > label").forEach((tab) => {
        if (tab.textContent.trim() === label) {
          const input = document.getElementById(tab.htmlFor);
          if (input) input.checked = true;
        }
      });
    });
  }

  document.addEventListener("click", (event) => {
    const tab = event.target.closest(".tabbed-labels > label");
    if (!tab) return;
    const label = tab.textContent.trim();
    store.set("duet.tab", label);
    choose(label);
  });

  const remembered = store.get("duet.tab");
  if (remembered) choose(remembered);

  const toggle = document.querySelector("[data-side-by-side]");
  if (toggle && document.querySelector(".tabbed-set")) {
    const apply = (on) => {
      document.body.classList.toggle("side-by-side", on);
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.textContent = on ? "Show as tabs" : "Show side by side";
    };
    apply(store.get("duet.sideBySide") === "1");
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const on = !document.body.classList.contains("side-by-side");
      store.set("duet.sideBySide", on ? "1" : "0");
      apply(on);
    });
  }
})();
