// The pupil picker (apps/pupils/picker.py): an ARIA 1.2 combobox whose options come from a POST
// search, so names never go in a URL. Keyboard: type to search, Down/Up to move, Enter to choose,
// Escape to close. Without this script the typed text is resolved on the server.
(function () {
  "use strict";

  function csrfToken(root) {
    var form = root.closest("form");
    var field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function setup(root) {
    var input = root.querySelector("[data-picker-input]");
    var value = root.querySelector("[data-picker-value]");
    var list = root.querySelector("[data-picker-list]");
    var status = root.querySelector("[data-picker-status]");
    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var li = options[index];
      if (!li) return;
      value.value = li.dataset.id;
      input.value = li.textContent;
      status.textContent = li.textContent + " chosen";
      close();
    }

    function show(data) {
      list.innerHTML = "";
      options = data.matches.map(function (m, i) {
        var li = document.createElement("li");
        li.id = input.id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "hub-picker__option";
        li.dataset.id = m.id;
        li.textContent = m.label;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
        return li;
      });
      var n = options.length;
      status.textContent = n === 0 ? "No pupils match" : n + (data.more ? " or more" : "") + " pupil" + (n === 1 ? "" : "s") + " match. Use the down arrow to choose.";
      if (n) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      active = -1;
    }

    function search() {
      var text = input.value.trim();
      value.value = "";
      if (text.length < 2) { close(); return; }
      var ticket = ++asked;
      var body = new URLSearchParams({ q: text, scope: root.dataset.scope || "roll" });
      fetch(root.dataset.searchUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(root), "Content-Type": "application/x-www-form-urlencoded" },
        body: body,
        credentials: "same-origin"
      }).then(function (r) { return r.ok ? r.json() : { matches: [] }; })
        .then(function (data) { if (ticket === asked) show(data); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (list.hidden && options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight(Math.min(active + 1, options.length - 1));
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (e.key === "Enter" && !list.hidden && active >= 0) {
        e.preventDefault();
        choose(active);
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function init() {
    document.querySelectorAll("[data-picker]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
