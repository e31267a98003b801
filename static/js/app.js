// dellsocial: small progressive enhancements. Social text is only ever inserted as
// server-rendered fragments (Django autoescaping) through htmx, or as textContent.
"use strict";

// The live mentions list is in post-time order, newest first; it asks for rows
// that arrived after the last one it has (the highest id, wherever that row sits).
window.latestMentionId = function () {
  let latest = 0;
  document.querySelectorAll("#mention-rows tr.mention").forEach(function (row) {
    latest = Math.max(latest, Number(row.dataset.id) || 0);
  });
  return String(latest);
};

// A new row goes where its post time puts it (a post ingested late is older than
// the top of the list), never simply on top.
function placeMentionRow(body, row) {
  if (body.querySelector('tr.mention[data-id="' + row.dataset.id + '"]')) return;
  const time = Number(row.dataset.time);
  const id = Number(row.dataset.id);
  const rows = body.querySelectorAll("tr.mention");
  for (const other of rows) {
    const otherTime = Number(other.dataset.time);
    if (time > otherTime || (time === otherTime && id > Number(other.dataset.id))) {
      body.insertBefore(row, other);
      return;
    }
  }
  body.appendChild(row);
}

document.addEventListener("htmx:afterRequest", function (event) {
  const body = event.detail.elt;
  if (!body || body.id !== "mention-rows" || !event.detail.successful) return;
  // The fragment is rendered by the server with Django's autoescaping (every post's
  // text is escaped there). It is parsed in a <template>, whose content is inert:
  // nothing in it loads or runs while it is read, and only its rows are moved in.
  const holder = document.createElement("template");
  holder.innerHTML = "<table><tbody>" + event.detail.xhr.responseText + "</tbody></table>";
  const fresh = Array.from(holder.content.querySelectorAll("tr.mention"));
  fresh.forEach(function (row) { placeMentionRow(body, row); });
  const empty = document.getElementById("no-mentions");
  if (empty && body.querySelector("tr.mention")) empty.remove();
  const rows = body.querySelectorAll("tr.mention");
  for (let i = 200; i < rows.length; i++) rows[i].remove();
});
