// Paperboy: progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  var root = document.documentElement;

  // Theme: the reader's choice (localStorage) over the system's.
  var stored = null;
  try { stored = localStorage.getItem("paperboy-theme"); } catch (e) { /* storage blocked */ }
  if (stored === "light" || stored === "dark") root.setAttribute("data-theme", stored);

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var toggle = document.querySelector("[data-theme-toggle]");
    if (toggle) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var current = root.getAttribute("data-theme") ||
          (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
        var next = current === "dark" ? "light" : "dark";
        root.setAttribute("data-theme", next);
        try { localStorage.setItem("paperboy-theme", next); } catch (e) { /* storage blocked */ }
      });
    }

    // Type-ahead: completions from /search/suggest fill the shared <datalist>.
    var list = document.getElementById("q-suggestions");
    var timer = null, lastAsked = "";
    document.querySelectorAll("input[data-suggest]").forEach(function (input) {
      input.addEventListener("input", function () {
        clearTimeout(timer);
        var text = input.value;
        timer = setTimeout(function () {
          if (text.trim().length < 2 || text === lastAsked || !list) return;
          lastAsked = text;
          fetch("/search/suggest?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
            .then(function (r) { return r.ok ? r.json() : []; })
            .then(function (titles) {
              list.textContent = "";
              titles.forEach(function (title) {
                var option = document.createElement("option");
                option.value = title;
                list.appendChild(option);
              });
            })
            .catch(function () { /* suggestions are optional */ });
        }, 150);
      });
    });

    // Copy BibTeX.
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy BibTeX"; }, 2000);
        });
      });
    });

    // Upvote in place.
    document.querySelectorAll("form[data-upvote]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = form.querySelector("button");
        if (button) button.disabled = true;
        // The form's CSRF token travels in a header, as the server accepts it there too.
        var token = form.querySelector("input[name=csrf]");
        fetch(form.action, {
          method: "POST",
          headers: { Accept: "application/json", "X-CSRF-Token": token ? token.value : "" },
          credentials: "same-origin"
        })
          .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
          .then(function (body) {
            var count = form.querySelector("[data-upvote-count]");
            if (count) count.textContent = String(body.upvotes);
            if (button) button.textContent = "▲ Upvoted";
          })
          .catch(function () { form.submit(); });
      });
    });

    // Keyboard: "/" search, j/k move between papers, o or Enter opens the selected one.
    var cards = Array.prototype.slice.call(document.querySelectorAll(".paper-card"));
    var selected = -1;
    function select(index) {
      if (!cards.length) return;
      selected = Math.max(0, Math.min(cards.length - 1, index));
      cards.forEach(function (card) { card.classList.remove("is-selected"); });
      var card = cards[selected];
      card.classList.add("is-selected");
      card.focus();
      card.scrollIntoView({ block: "nearest" });
    }
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
        target.tagName === "SELECT" || target.isContentEditable);
      if (typing) return;
      if (event.key === "/") {
        var search = document.querySelector("input[name=q]");
        if (search) { event.preventDefault(); search.focus(); search.select(); }
      } else if (event.key === "j") {
        event.preventDefault(); select(selected + 1);
      } else if (event.key === "k") {
        event.preventDefault(); select(selected - 1);
      } else if ((event.key === "o" || event.key === "Enter") && target && target.classList &&
                 target.classList.contains("paper-card")) {
        var link = target.querySelector(".paper-title a");
        if (link) { event.preventDefault(); window.location.href = link.href; }
      }
    });
    cards.forEach(function (card, index) {
      card.addEventListener("focusin", function () { selected = index; });
    });
  });
})();
