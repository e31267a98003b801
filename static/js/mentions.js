// @username completion in internal notes: type "@an", pick a colleague.
// Names are put in with textContent, never as markup.
(function () {
  "use strict";
  var PARTIAL = /(^|[^\w@])@([\w.@+-]{1,150})$/;

  function setup(textarea) {
    var list = document.getElementById("note-suggest");
    if (!list) { return; }
    var timer = null;
    var active = "";

    function hide() { list.hidden = true; list.replaceChildren(); }

    function pick(name) {
      var caret = textarea.selectionStart;
      var before = textarea.value.slice(0, caret);
      var match = before.match(PARTIAL);
      if (!match) { return; }
      var start = caret - match[2].length;
      textarea.value = textarea.value.slice(0, start) + name + " " + textarea.value.slice(caret);
      var end = start + name.length + 1;
      textarea.setSelectionRange(end, end);
      textarea.focus();
      hide();
    }

    function show(names) {
      list.replaceChildren();
      names.forEach(function (name) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "linkbutton";
        button.textContent = "@" + name;
        button.addEventListener("click", function () { pick(name); });
        item.appendChild(button);
        list.appendChild(item);
      });
      list.hidden = names.length === 0;
    }

    textarea.addEventListener("input", function () {
      var match = textarea.value.slice(0, textarea.selectionStart).match(PARTIAL);
      if (!match) { hide(); return; }
      active = match[2];
      clearTimeout(timer);
      timer = setTimeout(function () {
        var wanted = active;
        fetch(textarea.dataset.suggestUrl + "?q=" + encodeURIComponent(wanted), {
          credentials: "same-origin", headers: { "Accept": "application/json" }
        }).then(function (r) { return r.ok ? r.json() : { usernames: [] }; })
          .then(function (body) { if (wanted === active) { show(body.usernames || []); } })
          .catch(hide);
      }, 150);
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { hide(); }
      if (event.key === "Tab" && !list.hidden && list.firstChild) {
        event.preventDefault();
        list.firstChild.firstChild.click();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var textarea = document.getElementById("note-text");
    if (textarea && textarea.dataset.suggestUrl) { setup(textarea); }
  });
})();
