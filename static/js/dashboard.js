// The triage dashboard: keyboard triage, selection for bulk actions, the live
// list's bookkeeping, and the composer's length counter.
//
// Social text only ever reaches the page as server-rendered, escaped HTML (through
// htmx) or through .value / .textContent here: never innerHTML with data.
"use strict";

(function () {
  // --- Length as each platform counts it (mirror of listening/adapters/lengths.py) -

  const LIMITS = { weibo: 280, twitter: 280, renren: 240 };
  const TWITTER_URL_WEIGHT = 23;
  const TWITTER_LIGHT = [[0x0000, 0x10ff], [0x2000, 0x200d], [0x2010, 0x201f], [0x2032, 0x2037]];
  const EMOJI_MODIFIERS = [[0xfe00, 0xfe0f], [0x1f3fb, 0x1f3ff], [0xe0020, 0xe007f]];
  const REGIONAL = [0x1f1e6, 0x1f1ff];
  const ZWJ = 0x200d;
  const KEYCAP = 0x20e3;
  const URL_STOP = "\\s<>\"'\\u3000-\\u303f\\uff01-\\uff5e";
  const TWITTER_URL_RE = new RegExp(
    "(?:https?://|www\\.)[^" + URL_STOP + "]+" +
      // Python's \b is Unicode-aware: a domain glued to a Chinese character is
      // not a link there, so it is not one here either.
      "|(?<![\\p{L}\\p{N}_])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+" +
      "(?:com|net|org|edu|gov|io|co|cn|jp|uk|de|me|ly|tv|info|biz|app|dev)" +
      "(?:/[^" + URL_STOP + "]*)?(?![a-z0-9-])",
    "giu"
  );

  function inRanges(code, ranges) {
    for (const [low, high] of ranges) if (code >= low && code <= high) return true;
    return false;
  }

  function weiboLength(text) {
    let total = 0;
    for (const ch of text) total += ch.codePointAt(0) < 128 ? 1 : 2;
    return total;
  }

  function isEmoji(code) {
    return code >= 0x1f000 || (code >= 0x2600 && code <= 0x27bf) || (code >= 0x2b00 && code <= 0x2bff);
  }

  function twitterPlainLength(text) {
    let total = 0, lastEmoji = false, joined = false, pendingFlag = false;
    for (const ch of text) {
      const code = ch.codePointAt(0);
      if (joined) { joined = false; continue; }
      if (code === ZWJ && lastEmoji) { joined = true; continue; }
      if (code === KEYCAP) { total += lastEmoji ? 0 : 1; lastEmoji = true; continue; }
      if (inRanges(code, EMOJI_MODIFIERS)) continue;
      if (code >= REGIONAL[0] && code <= REGIONAL[1]) {
        if (pendingFlag) { pendingFlag = false; continue; }
        pendingFlag = true; lastEmoji = true; total += 2; continue;
      }
      pendingFlag = false;
      lastEmoji = isEmoji(code);
      total += inRanges(code, TWITTER_LIGHT) ? 1 : 2;
    }
    return total;
  }

  function twitterLength(text) {
    text = text.normalize("NFC");
    let total = 0, position = 0;
    TWITTER_URL_RE.lastIndex = 0;
    let match;
    while ((match = TWITTER_URL_RE.exec(text)) !== null) {
      total += twitterPlainLength(text.slice(position, match.index));
      total += TWITTER_URL_WEIGHT;
      position = match.index + match[0].length;
    }
    return total + twitterPlainLength(text.slice(position));
  }

  function renrenLength(text) {
    // Python's len(): code points, not UTF-16 units.
    let n = 0;
    for (const _ of text) n++; // eslint-disable-line no-unused-vars
    return n;
  }

  function textLength(platform, text) {
    text = text || "";
    if (platform === "weibo") return weiboLength(text);
    if (platform === "twitter") return twitterLength(text);
    return renrenLength(text);
  }

  // Python's str.strip(): Unicode whitespace at both ends.
  function strip(text) {
    return (text || "").replace(/^[\s\u0085]+|[\s\u0085]+$/gu, "");
  }

  // engagement.services.replies.with_signature
  function withSignature(text, signature) {
    text = strip(text);
    signature = strip(signature);
    if (!signature || text.includes(signature)) return text;
    return text ? text + " " + signature : text;
  }

  window.dashboardLength = { textLength, withSignature, LIMITS };

  // --- Composer ------------------------------------------------------------------

  function composedText(form) {
    const textarea = form.querySelector("textarea[name=text]");
    const parts = [strip(textarea ? textarea.value : "")];
    const coupon = form.querySelector("select[name=campaign]");
    const survey = form.querySelector("select[name=survey]");
    if (coupon && coupon.value) parts.push(form.dataset.couponSample || "");
    if (survey && survey.value) parts.push(form.dataset.surveySample || "");
    return withSignature(parts.filter(Boolean).join(" "), form.dataset.signature || "");
  }

  // A private message (engagement: answering a DM) counts plain characters against
  // its own limit (listening.adapters.lengths.private_length).
  function privateLength(text) {
    let n = 0;
    for (const _ of (text || "").normalize("NFC")) n++; // eslint-disable-line no-unused-vars
    return n;
  }

  function isPrivate(form) {
    const target = form.querySelector("select[name=mention]");
    if (target && target.selectedOptions.length) {
      return target.selectedOptions[0].dataset.private === "1";
    }
    return form.dataset.private === "1";
  }

  function updateCounter(form) {
    const platform = form.dataset.platform;
    const priv = isPrivate(form) && form.dataset.privateLimit;
    const limit = parseInt(priv ? form.dataset.privateLimit : form.dataset.publicLimit || form.dataset.limit, 10) || LIMITS[platform] || 0;
    const text = composedText(form);
    const length = priv ? privateLength(text) : textLength(platform, text);
    const limitOutput = form.querySelector("#reply-limit");
    if (limitOutput) limitOutput.textContent = String(limit);
    const privateRule = form.querySelector("#private-rule");
    const publicRule = form.querySelector("#public-rule");
    if (privateRule) privateRule.hidden = !priv;
    if (publicRule) publicRule.hidden = !!priv;
    const counter = form.querySelector(".counter");
    const output = form.querySelector("#reply-length, .reply-length");
    if (output) output.textContent = String(length);
    if (counter) {
      counter.classList.toggle("over", length > limit);
      counter.classList.toggle("near", length <= limit && length > limit * 0.9);
    }
  }

  function insertAtCursor(textarea, text) {
    const start = textarea.selectionStart ?? textarea.value.length;
    const end = textarea.selectionEnd ?? textarea.value.length;
    const before = textarea.value.slice(0, start);
    const after = textarea.value.slice(end);
    textarea.value = before + text + after;
    const caret = before.length + text.length;
    textarea.setSelectionRange(caret, caret);
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setupComposers() {
    document.querySelectorAll("form.composer").forEach(function (form) {
      updateCounter(form);
      form.addEventListener("input", function () { updateCounter(form); });
      form.addEventListener("change", function () { updateCounter(form); });
    });
    const canned = document.getElementById("canned-list");
    const textarea = document.getElementById("reply-text");
    if (canned && textarea) {
      canned.addEventListener("click", function (event) {
        const button = event.target.closest(".canned-item");
        if (!button) return;
        insertAtCursor(textarea, button.dataset.text || "");
      });
    }
    const search = document.getElementById("canned-q");
    if (search && textarea) {
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          const first = document.querySelector("#canned-list .canned-item");
          if (first) insertAtCursor(textarea, first.dataset.text || "");
        } else if (event.key === "ArrowDown") {
          const first = document.querySelector("#canned-list .canned-item");
          if (first) { event.preventDefault(); first.focus(); }
        }
      });
    }
    if (canned) {
      canned.addEventListener("keydown", function (event) {
        const items = Array.from(canned.querySelectorAll(".canned-item"));
        const index = items.indexOf(document.activeElement);
        if (index < 0) return;
        if (event.key === "ArrowDown" && index < items.length - 1) {
          event.preventDefault(); items[index + 1].focus();
        } else if (event.key === "ArrowUp") {
          event.preventDefault();
          if (index > 0) items[index - 1].focus(); else if (search) search.focus();
        }
      });
    }
  }

  // --- Queue: selection, keyboard, live rows --------------------------------------

  function rows() {
    return Array.from(document.querySelectorAll("#queue-table tr.case-row"));
  }

  function currentRow() {
    return document.querySelector("#queue-table tr.case-row.selected");
  }

  function select(row) {
    const old = currentRow();
    if (old) old.classList.remove("selected");
    if (!row) return;
    row.classList.add("selected");
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    const index = all.indexOf(currentRow());
    const next = index < 0 ? 0 : Math.min(Math.max(index + step, 0), all.length - 1);
    select(all[next]);
  }

  function checked() {
    return Array.from(document.querySelectorAll("#queue-table .row-check:checked"));
  }

  // The manager's assignee chooser gets its people (with their load) when the
  // bulk bar is first used: a selected row, or the chooser itself.
  function loadAssignees() {
    const chooser = document.getElementById("bulk-assignee");
    if (!chooser || !chooser.dataset.optionsUrl || chooser.dataset.loaded) return;
    chooser.dataset.loaded = "1";
    chooser.dispatchEvent(new Event("bulk-open"));
  }

  function updateBulkBar() {
    const count = checked().length;
    if (count > 0) loadAssignees();
    const output = document.getElementById("checked-count");
    if (output) output.textContent = String(count);
    const bar = document.getElementById("bulkbar");
    if (bar) bar.classList.toggle("active", count > 0);
    document.querySelectorAll("#bulkbar [data-bulk]").forEach(function (b) {
      b.disabled = count === 0;
    });
    rows().forEach(function (row) {
      const box = row.querySelector(".row-check");
      row.classList.toggle("checked", !!(box && box.checked));
    });
  }

  // Bulk actions apply to the checked rows, or to the selected row if none is.
  function ensureTarget() {
    if (checked().length) return true;
    const row = currentRow();
    const box = row && row.querySelector(".row-check");
    if (!box) return false;
    box.checked = true;
    updateBulkBar();
    return true;
  }

  function submitBulk(action) {
    const form = document.getElementById("bulk-form");
    const button = form && form.querySelector('button[name=action][value="' + action + '"]');
    if (!button || !ensureTarget()) return;
    form.requestSubmit(button);
  }

  function queueKey(event) {
    const row = currentRow();
    switch (event.key) {
      case "j": move(1); return true;
      case "k": move(-1); return true;
      case "x": {
        const box = row && row.querySelector(".row-check");
        if (box) { box.checked = !box.checked; updateBulkBar(); }
        return true;
      }
      case "o":
      case "Enter":
        if (row) window.location.assign(row.dataset.url);
        return !!row;
      case "r":
        if (row) window.location.assign(row.dataset.url + "#composer");
        return !!row;
      case "e": submitBulk("resolve"); return true;
      case "a": {
        const chooser = document.getElementById("bulk-assignee");
        if (!chooser || !ensureTarget()) return true;
        if (chooser.options.length <= 2) { chooser.value = "me"; submitBulk("assign"); }
        else chooser.focus();
        return true;
      }
      case "/": {
        const search = document.getElementById("queue-search");
        if (search) { search.focus(); search.select(); }
        return true;
      }
    }
    return false;
  }

  function caseKey(event) {
    const page = document.querySelector("[data-page=case]");
    switch (event.key) {
      case "r": {
        const textarea = document.getElementById("reply-text");
        if (textarea) { textarea.focus(); textarea.scrollIntoView({ block: "center" }); }
        return true;
      }
      case "e": {
        const form = document.getElementById("resolve-form");
        if (form) form.requestSubmit();
        return true;
      }
      case "a": {
        const chooser = document.getElementById("assign-select");
        const form = document.getElementById("assign-form");
        if (chooser) chooser.focus();
        else if (form) form.requestSubmit();
        return true;
      }
      case "n": {
        const note = document.getElementById("note-text");
        if (note) note.focus();
        return true;
      }
      case "j":
        if (page.dataset.nextUrl) window.location.assign(page.dataset.nextUrl);
        return true;
      case "k":
        if (page.dataset.prevUrl) window.location.assign(page.dataset.prevUrl);
        return true;
      case "u":
        window.location.assign(page.dataset.queueUrl);
        return true;
    }
    return false;
  }

  function toggleHelp(force) {
    const overlay = document.getElementById("help-overlay");
    if (!overlay) return;
    overlay.hidden = force === undefined ? !overlay.hidden : !force;
  }

  function typing(target) {
    if (!target || !target.tagName) return false;
    const tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      toggleHelp(false);
      if (typing(event.target)) event.target.blur();
      return;
    }
    if (typing(event.target)) {
      // In the bulk bar's assignee chooser, Enter assigns.
      if (event.key === "Enter" && event.target.id === "bulk-assignee") {
        event.preventDefault();
        submitBulk("assign");
      }
      return;
    }
    if (event.key === "?") { toggleHelp(); event.preventDefault(); return; }
    const page = document.querySelector("[data-page]");
    if (!page) return;
    const handled = page.dataset.page === "queue" ? queueKey(event)
      : page.dataset.page === "case" ? caseKey(event) : false;
    if (handled) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    const help = event.target.closest("[data-action=help]");
    if (help) { toggleHelp(); return; }
    const overlay = document.getElementById("help-overlay");
    if (overlay && event.target === overlay) { toggleHelp(false); return; }
    const copy = event.target.closest("[data-action=copy]");
    if (copy) {
      const field = document.getElementById(copy.dataset.target);
      if (field) {
        field.select();
        if (navigator.clipboard) navigator.clipboard.writeText(field.value);
      }
      return;
    }
    const row = event.target.closest("#queue-table tr.case-row");
    if (row && !event.target.closest("a, input, button, label")) select(row);
  });

  document.addEventListener("change", function (event) {
    if (event.target.id === "check-all") {
      rows().forEach(function (row) {
        const box = row.querySelector(".row-check");
        if (box) box.checked = event.target.checked;
      });
      updateBulkBar();
    } else if (event.target.classList && event.target.classList.contains("row-check")) {
      updateBulkBar();
    }
  });


  // New rows of the live list go where the queue's sort puts them (data-sort keys
  // compare as strings), not on top. A row that sorts after the last row loaded
  // is left for "Load more". Rows inserted above the viewport scroll the page by
  // their height, so nothing moves under the cursor, and the keyboard selection
  // stays on its row.
  function placeFreshRows(fresh) {
    const body = document.getElementById("queue-rows");
    if (!body) return;
    const more = document.getElementById("queue-more");
    let placed = 0;
    Array.from(fresh.querySelectorAll("tr.case-row")).forEach(function (row) {
      const old = body.querySelector('tr.case-row[data-id="' + row.dataset.id + '"]');
      if (old) old.remove();
      const key = row.dataset.sort || "";
      const loaded = Array.from(body.querySelectorAll("tr.case-row"));
      const before = loaded.find(function (r) { return (r.dataset.sort || "") > key; });
      if (!before && more) { row.remove(); return; }
      const anchor = before || more || null;
      const above = anchor && anchor.getBoundingClientRect().top < 0;
      body.insertBefore(row, anchor);
      if (above) window.scrollBy(0, row.getBoundingClientRect().height);
      placed++;
    });
    fresh.textContent = "";
    if (placed) {
      const empty = document.getElementById("queue-empty");
      if (empty) empty.remove();
    }
  }

  // Collision detection: the case page tells the server whether this person is
  // writing a reply (text in the composer) or only looking.
  function presenceState() {
    const text = document.getElementById("reply-text");
    return text && text.value.trim() ? "composing" : "viewing";
  }

  // The live list asks for cases newer than the newest one shown.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt && event.detail.elt.id === "presence") {
      event.detail.parameters.state = presenceState();
      event.detail.parameters.seen_reply = event.detail.elt.dataset.seenReply || "0";
    }
    if (event.detail.elt && event.detail.elt.id === "queue-fresh") {
      const ids = rows().map(function (r) { return parseInt(r.dataset.id, 10) || 0; });
      event.detail.parameters.after = String(Math.max(0, ...ids));
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target || event.target;
    if (target.id === "queue-fresh") {
      placeFreshRows(target);
    }
    updateBulkBar();
  });

  ["focusin", "mousedown", "mouseover"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target.closest && event.target.closest("#bulkbar")) loadAssignees();
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    setupComposers();
    updateBulkBar();
    const first = rows()[0];
    if (first) select(first);
    if (window.location.hash === "#composer") {
      const textarea = document.getElementById("reply-text");
      if (textarea) textarea.focus();
    }
    const errors = document.getElementById("send-errors");
    if (errors) errors.scrollIntoView({ block: "center" });
  });
})();
