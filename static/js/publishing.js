/* Publishing pages: the composer's live check and the calendar's drag to
   reschedule. Text from people is only ever set with textContent. */
(function () {
  "use strict";

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- composer ---------------------------------------------------------------
  function composer(form) {
    var url = form.dataset.checkUrl;
    var out = document.getElementById("post-check");
    var approval = document.getElementById("post-approval");
    var template = document.getElementById("check-row");
    var timer = null;

    function body() {
      var accounts = Array.prototype.map.call(
        form.querySelectorAll("input[name=accounts]:checked"), function (i) { return i.value; });
      var versions = {};
      ["weibo", "twitter", "renren"].forEach(function (p) {
        var area = form.querySelector("textarea[name=text_" + p + "]");
        if (area && area.value.trim()) { versions[p] = area.value; }
      });
      return {
        accounts: accounts,
        text: form.querySelector("#post-text").value,
        per_platform: versions,
        campaign: form.querySelector("#post-campaign").value,
        survey: form.querySelector("#post-survey").value
      };
    }

    function show(result) {
      while (out.firstChild) { out.removeChild(out.firstChild); }
      result.checks.forEach(function (check) {
        var row = template.content.firstElementChild.cloneNode(true);
        row.dataset.platform = check.platform;
        row.classList.add(check.ok ? "ok" : "bad");
        row.querySelector(".platform").textContent = check.platform;
        row.querySelector(".platform").classList.add(check.platform);
        row.querySelector(".length").textContent = check.length;
        row.querySelector(".limit").textContent = check.limit;
        var tags = check.topics.map(function (t) { return "#" + t; }).concat(
          check.mentions.map(function (m) { return "@" + m; }));
        row.querySelector(".topics").textContent = tags.join(" ");
        var list = row.querySelector(".violations");
        check.violations.forEach(function (v) {
          var li = document.createElement("li");
          li.textContent = v.message;
          list.appendChild(li);
        });
        row.querySelector(".preview").textContent = check.text;
        out.appendChild(row);
      });
      approval.hidden = !result.approval;
      approval.textContent = result.approval ? (approval.dataset.prefix || "") + result.approval : "";
    }

    function run() {
      fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(body()),
        credentials: "same-origin"
      }).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (result) { if (result) { show(result); } })
        .catch(function () {});
    }

    function later() { clearTimeout(timer); timer = setTimeout(run, 250); }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    run();
  }

  // --- calendar ---------------------------------------------------------------
  function calendar(table) {
    var error = document.getElementById("calendar-error");
    var dragged = null;
    table.addEventListener("dragstart", function (event) {
      var item = event.target.closest(".cal-post[draggable=true]");
      if (!item) { return; }
      dragged = item;
      event.dataTransfer.setData("text/plain", item.dataset.post);
      event.dataTransfer.effectAllowed = "move";
    });
    table.addEventListener("dragover", function (event) {
      var cell = event.target.closest("td.slot");
      if (dragged && cell) { event.preventDefault(); cell.classList.add("drop-target"); }
    });
    table.addEventListener("dragleave", function (event) {
      var cell = event.target.closest("td.slot");
      if (cell) { cell.classList.remove("drop-target"); }
    });
    table.addEventListener("drop", function (event) {
      var cell = event.target.closest("td.slot");
      if (!dragged || !cell) { return; }
      event.preventDefault();
      cell.classList.remove("drop-target");
      var item = dragged;
      dragged = null;
      var time = item.dataset.time;  // "HH:MM", kept: a drop moves the day/hour
      var slot = cell.dataset.slot;  // "YYYY-MM-DDTHH:00"
      var when = table.dataset.view === "month"
        ? slot.slice(0, 11) + time
        : slot.slice(0, 14) + time.slice(3);
      var data = new FormData();
      data.append("scheduled_at", when);
      data.append("time_zone", table.dataset.zone);
      fetch(item.dataset.url, {
        method: "POST",
        headers: { "X-CSRFToken": csrf(), "Accept": "application/json" },
        body: data,
        credentials: "same-origin"
      }).then(function (r) {
        return r.json().then(function (j) { return { ok: r.ok, body: j }; });
      }).then(function (result) {
        if (result.ok) {
          cell.appendChild(item);
          error.hidden = true;
          item.dataset.moved = result.body.scheduled_at;
        } else {
          error.textContent = result.body.message || "";
          error.hidden = false;
        }
      }).catch(function () {});
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("compose-form");
    if (form) { composer(form); }
    var table = document.getElementById("calendar");
    if (table) { calendar(table); }
  });
})();
