// dellsocial: small progressive enhancements. Social text is only ever inserted as
// server-rendered fragments (Django autoescaping) through htmx, or as textContent.
"use strict";

// The id of the newest mention row shown (the live list asks for rows after it).
window.latestMentionId = function () {
  const row = document.querySelector("#mention-rows tr.mention");
  return row ? row.dataset.id : "0";
};

document.addEventListener("htmx:afterSwap", function (event) {
  if (event.target.id !== "mention-rows") return;
  const empty = document.getElementById("no-mentions");
  if (empty && event.target.querySelector("tr.mention")) empty.remove();
  const rows = event.target.querySelectorAll("tr.mention");
  for (let i = 200; i < rows.length; i++) rows[i].remove();
});
