/*
 * Akan-veilederen chat widget. Embed with one tag:
 *   <script src="https://GATEWAY/widget.js" data-title="Akan-veilederen" defer></script>
 * Optional data- attributes: data-gateway (gateway URL; default: where this file came from),
 * data-title (heading), data-open="true" (open at once). Any element with a
 * data-akan-open attribute opens the chat when clicked.
 *
 * Plain JS, no build step. Text from the person or the bot is never parsed as HTML:
 * every node is built with createElement/textContent (see formatText).
 * The conversation id lives in sessionStorage only, so it is gone when the tab closes.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__akanVeilederen) return;
  window.__akanVeilederen = true;

  var base = (script.getAttribute("data-gateway") || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var title = script.getAttribute("data-title") || "Akan-veilederen";
  var STORAGE_KEY = "akan-veilederen:" + base;
  var COUNSELLOR_PAYLOAD = "/request_human";
  var MAX_CHARS = 2000;
  var FALLBACK_ERROR = "Noe gikk galt. Prøv igjen, eller ring Akans veiledningstelefon på 22 40 28 00.";
  var OFFLINE_ERROR = "Får ikke kontakt med Akan-veilederen. Sjekk nettforbindelsen, eller ring 22 40 28 00. Er noen i fare, ring 113.";

  var conversationId = null;
  var socket = null;
  var reconnectDelay = 1000;
  var busy = false;
  var starting = null;
  var seen = {};
  var handoff = null;
  var crisisLines = null;
  var loadingLines = null;

  // ---------- DOM helpers ----------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (key === "text") node.textContent = attrs[key];
        else if (key === "className") node.className = attrs[key];
        else node.setAttribute(key, attrs[key]);
      });
    }
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function hidden(text) {
    return el("span", { className: "akan-visually-hidden", text: text });
  }

  // ---------- Safe formatter: **bold**, "• " list lines, links. No HTML parsing. ----------
  var LINK = /(https?:\/\/[^\s<>"]+|www\.[^\s<>"]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;

  function appendLinks(parent, text) {
    var last = 0;
    text.replace(LINK, function (match, _g, offset) {
      var trail = (match.match(/[.,;:!?)]+$/) || [""])[0];
      var target = match.slice(0, match.length - trail.length);
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var href = target.indexOf("@") > 0 && target.indexOf("/") < 0 ? "mailto:" + target
        : /^https?:\/\//.test(target) ? target : "https://" + target;
      var link = el("a", { href: href, text: target });
      if (href.indexOf("http") === 0) {
        link.setAttribute("target", "_blank");
        link.setAttribute("rel", "noopener noreferrer");
      }
      parent.appendChild(link);
      if (trail) parent.appendChild(document.createTextNode(trail));
      last = offset + match.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function appendInline(parent, text) {
    var parts = text.split(/\*\*(.+?)\*\*/);
    parts.forEach(function (part, index) {
      if (index % 2 === 1) {
        var strong = el("strong");
        appendLinks(strong, part);
        parent.appendChild(strong);
      } else if (part) {
        appendLinks(parent, part);
      }
    });
  }

  function formatText(text) {
    var fragment = document.createDocumentFragment();
    var paragraph = null;
    var list = null;
    text.split("\n").forEach(function (line) {
      var item = /^\s*[•\-*]\s+(.*)$/.exec(line);
      if (item) {
        paragraph = null;
        if (!list) list = fragment.appendChild(el("ul"));
        var li = el("li");
        appendInline(li, item[1]);
        list.appendChild(li);
      } else if (!line.trim()) {
        paragraph = null;
        list = null;
      } else {
        list = null;
        if (paragraph) paragraph.appendChild(el("br"));
        else paragraph = fragment.appendChild(el("p"));
        appendInline(paragraph, line);
      }
    });
    return fragment;
  }

  // ---------- Build the widget ----------
  if (!document.querySelector('link[data-akan-css]')) {
    document.head.appendChild(el("link", { rel: "stylesheet", href: base + "/widget.css", "data-akan-css": "" }));
  }

  var launcher = el("button", {
    type: "button", className: "akan-launcher", "aria-expanded": "false", "aria-controls": "akan-panel",
  }, ["Chat med " + title]);
  var closeButton = el("button", { type: "button", className: "akan-icon-button", "aria-label": "Lukk chatten" }, ["×"]);
  // Help before anything has happened: every crisis line, from the gateway (the knowledge base's list).
  var helpButton = el("button", {
    type: "button", className: "akan-help-button", "aria-expanded": "false", "aria-controls": "akan-help",
  }, ["Trenger du hjelp nå?"]);
  var helpList = el("ul", { className: "akan-emergency-list" });
  var helpStatus = el("p", { className: "akan-help-status", text: "Henter numrene …" });
  var helpHide = el("button", { type: "button", className: "akan-link-button" }, ["Skjul numrene"]);
  var helpPanel = el("div", {
    id: "akan-help", className: "akan-emergency akan-help", role: "region", "aria-labelledby": "akan-help-title", hidden: "",
  }, [
    el("p", { id: "akan-help-title", className: "akan-emergency-title", text: "Trenger du hjelp nå?" }),
    el("p", { className: "akan-help-intro", text: "Chatten er ikke en krisetjeneste. Disse numrene kan du ringe:" }),
    helpStatus,
    helpList,
    helpHide,
  ]);
  var bannerList = el("ul", { className: "akan-emergency-list" });
  var bannerHide = el("button", { type: "button", className: "akan-link-button" }, ["Skjul nødnumrene"]);
  var banner = el("div", { className: "akan-emergency", role: "alert", hidden: "" }, [
    el("p", { className: "akan-emergency-title", text: "Er noen i fare nå? Ring 113." }),
    bannerList,
    bannerHide,
  ]);
  var log = el("div", {
    className: "akan-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": "Samtalen med " + title, tabindex: "0",
  });
  var typing = el("p", { className: "akan-typing", hidden: "" }, [
    el("span", { className: "akan-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
    title + " skriver …",
  ]);
  var input = el("textarea", {
    id: "akan-input", className: "akan-input", rows: "2", maxlength: String(MAX_CHARS),
    placeholder: "Skriv spørsmålet ditt her …", autocomplete: "off",
  });
  var sendButton = el("button", { type: "submit", className: "akan-send" }, ["Send"]);
  var form = el("form", { className: "akan-form" }, [
    el("label", { "for": "akan-input", className: "akan-visually-hidden", text: "Skriv meldingen din" }),
    input,
    sendButton,
  ]);
  var humanButton = el("button", { type: "button", className: "akan-action" }, ["Snakk med veileder"]);
  // While a counsellor has the conversation (or the person waits for one): place in the queue, and "Avbryt".
  var handoffText = el("p", { className: "akan-handoff-text" });
  var cancelButton = el("button", { type: "button", className: "akan-action", hidden: "" }, ["Avbryt"]);
  var handoffBar = el("div", { className: "akan-handoff", role: "status", "aria-live": "polite", hidden: "" }, [
    handoffText,
    cancelButton,
  ]);
  var deleteButton = el("button", { type: "button", className: "akan-action akan-action--delete" }, ["Slett samtalen"]);
  var confirmYes = el("button", { type: "button", className: "akan-action akan-action--delete" }, ["Ja, slett"]);
  var confirmNo = el("button", { type: "button", className: "akan-action" }, ["Avbryt"]);
  var confirmBox = el("div", { className: "akan-confirm", role: "group", "aria-labelledby": "akan-confirm-text", hidden: "" }, [
    el("p", { id: "akan-confirm-text", text: "Vil du slette hele samtalen? Det kan ikke angres." }),
    confirmYes,
    confirmNo,
  ]);
  var actions = el("div", { className: "akan-actions" }, [humanButton, deleteButton]);
  var panel = el("section", { id: "akan-panel", className: "akan-panel", "aria-labelledby": "akan-title", hidden: "" }, [
    el("header", { className: "akan-header" }, [
      el("div", {}, [
        el("h2", { id: "akan-title", className: "akan-title", text: title }),
        el("p", { className: "akan-subtitle", text: "Anonym chatbot · ikke en krisetjeneste · nød: 113" }),
        helpButton,
      ]),
      closeButton,
    ]),
    helpPanel,
    banner,
    log,
    typing,
    handoffBar,
    form,
    actions,
    confirmBox,
  ]);
  var root = el("div", { className: "akan-widget", lang: "nb" }, [panel, launcher]);
  document.body.appendChild(root);

  // ---------- Rendering ----------
  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function clearQuickReplies() {
    Array.prototype.forEach.call(log.querySelectorAll(".akan-quick"), function (group) {
      group.parentNode.removeChild(group);
    });
  }

  function renderNotice(text, kind) {
    log.appendChild(el("div", { className: "akan-msg akan-msg--notice" + (kind ? " akan-msg--" + kind : "") }, [
      hidden("Melding fra chatten: "), text,
    ]));
    scrollToEnd();
  }

  function renderUser(text) {
    log.appendChild(el("div", { className: "akan-msg akan-msg--user" }, [hidden("Du skrev: "), text]));
    scrollToEnd();
  }

  function renderSources(custom) {
    if (!custom.sources || !custom.sources.length) return null;
    var list = el("ul");
    custom.sources.forEach(function (source) {
      list.appendChild(el("li", { text: String(source) }));
    });
    return el("div", { className: "akan-sources" }, [el("p", { className: "akan-sources-title", text: "Kilder:" }), list]);
  }

  function telHref(number) {
    return "tel:" + String(number).replace(/[^\d+]/g, "");
  }

  function renderContacts(contacts) {
    var list = el("ul", { className: "akan-contacts" });
    if (contacts.phone) list.appendChild(el("li", {}, ["Telefon: ", el("a", { href: telHref(contacts.phone), text: contacts.phone })]));
    if (contacts.email) list.appendChild(el("li", {}, ["E-post: ", el("a", { href: "mailto:" + contacts.email, text: contacts.email })]));
    if (contacts.chat && /^https:\/\//.test(contacts.chat)) {
      list.appendChild(el("li", {}, ["Chat: ", el("a", {
        href: contacts.chat, target: "_blank", rel: "noopener noreferrer", text: contacts.chat.replace(/^https:\/\//, ""),
      })]));
    }
    return list;
  }

  function fillContacts(list, contacts) {
    while (list.firstChild) list.removeChild(list.firstChild);
    (contacts || []).forEach(function (contact) {
      list.appendChild(el("li", {}, [
        el("a", { href: telHref(contact.number), text: String(contact.number) }), " – " + String(contact.name),
      ]));
    });
  }

  function showEmergency(custom) {
    fillContacts(bannerList, custom.contacts && custom.contacts.length ? custom.contacts : crisisLines);
    banner.hidden = false;
  }

  // ---------- Help: the crisis lines, at any time ----------
  function loadCrisisLines() {
    if (crisisLines) return Promise.resolve(crisisLines);
    if (!loadingLines) {
      loadingLines = request("GET", "/api/crisis-lines").then(function (data) {
        var contacts = data && Array.isArray(data.contacts) ? data.contacts : [];
        if (!contacts.length) throw new Error("no crisis lines");
        crisisLines = contacts;
        return contacts;
      });
      loadingLines.catch(function () { loadingLines = null; });  // try again next time
    }
    return loadingLines;
  }

  function showHelp() {
    helpPanel.hidden = false;
    helpButton.setAttribute("aria-expanded", "true");
    if (helpList.firstChild) return;
    helpStatus.textContent = "Henter numrene …";
    helpStatus.hidden = false;
    loadCrisisLines().then(function (contacts) {
      fillContacts(helpList, contacts);
      helpStatus.hidden = true;
    }, function () {
      helpStatus.textContent = "Fikk ikke hentet numrene akkurat nå. Er noen i fare, ring 113.";
    });
  }

  function hideHelp() {
    helpPanel.hidden = true;
    helpButton.setAttribute("aria-expanded", "false");
  }

  function renderBot(message, withButtons) {
    var fromCounsellor = message.from === "counsellor";
    var bubble = el("div", { className: "akan-msg akan-msg--" + (fromCounsellor ? "counsellor" : "bot") }, [
      fromCounsellor
        ? el("span", { className: "akan-msg-from" }, [hidden("Melding fra "), "Veileder", hidden(": ")])
        : hidden(title + ": "),
    ]);
    if (message.text) bubble.appendChild(formatText(String(message.text)));
    var custom = message.custom && typeof message.custom === "object" ? message.custom : null;
    if (custom && custom.type === "recommendations") {
      var sources = renderSources(custom);
      if (sources) bubble.appendChild(sources);
    }
    if (custom && custom.type === "handoff" && custom.contacts && (!custom.status || custom.status === "unavailable")) {
      bubble.appendChild(renderContacts(custom.contacts));
    }
    if (custom && custom.type === "handoff" && custom.status === "queued" && withButtons && !handoff) {
      setHandoff({ status: "queued" });
    }
    if (custom && custom.type === "crisis") {
      bubble.classList.add("akan-msg--crisis");
      showEmergency(custom);
    }
    log.appendChild(bubble);
    if (withButtons && message.buttons && message.buttons.length) {
      var group = el("div", { className: "akan-quick", role: "group", "aria-label": "Svarforslag" });
      message.buttons.forEach(function (button) {
        var b = el("button", { type: "button", className: "akan-quick-button", text: String(button.title) });
        b.addEventListener("click", function () {
          send({ button: button.payload }, button.title);
        });
        group.appendChild(b);
      });
      log.appendChild(group);
    }
    scrollToEnd();
    return bubble;
  }

  function renderMessages(messages, withButtons) {
    var fresh = messages.filter(function (m) {
      if (m.id == null) return true;
      if (seen[m.id]) return false;
      seen[m.id] = true;
      return true;
    });
    if (fresh.length && withButtons) clearQuickReplies();
    var firstReply = null;
    fresh.forEach(function (m) {
      if (m.from === "user") renderUser(String(m.text || ""));
      else {
        var bubble = renderBot(m, withButtons);
        if (!firstReply) firstReply = bubble;
      }
    });
    if (firstReply) showStartOf(firstReply);
  }

  // A long reply is read from its beginning: scroll to its top, not to the log's end.
  function showStartOf(node) {
    log.scrollTop = Math.min(node.offsetTop - 8, log.scrollHeight - log.clientHeight);
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    log.setAttribute("aria-busy", value ? "true" : "false");
    sendButton.setAttribute("aria-disabled", value ? "true" : "false");
    if (value) scrollToEnd();
  }

  // ---------- Handoff to a counsellor ----------
  // null, or {status: "queued", position} / {status: "active"}; "ended" clears it.
  function setHandoff(state) {
    if (!state || state.status === "ended") {
      handoff = null;
      handoffBar.hidden = true;
      cancelButton.hidden = true;
      humanButton.hidden = false;
      return;
    }
    var changed = !handoff || handoff.status !== state.status || handoff.position !== state.position;
    handoff = { status: state.status, position: state.position };
    humanButton.hidden = true;
    clearQuickReplies();
    if (!changed && !handoffBar.hidden) return;
    if (state.status === "active") {
      handoffText.textContent = "Du snakker nå med en veileder hos Akan. Skriv her som før.";
      cancelButton.textContent = "Avslutt samtalen med veilederen";
    } else {
      handoffText.textContent = state.position
        ? "Du står i kø til en veileder. Du er nummer " + state.position + " i køen."
        : "Du står i kø til en veileder.";
      cancelButton.textContent = "Avbryt";
    }
    cancelButton.hidden = false;
    handoffBar.hidden = false;
  }

  function cancelHandoff() {
    if (!conversationId || busy) return;
    var id = conversationId;
    setBusy(true);
    request("POST", "/api/conversations/" + id + "/handoff/cancel").then(function (data) {
      setHandoff(null);
      renderMessages((data && data.messages) || [], true);
    }).catch(function (error) {
      renderNotice(error.message, "error");
    }).then(function () {
      setBusy(false);
      input.focus();
    });
  }

  // ---------- Talking to the gateway ----------
  function request(method, path, body) {
    var options = { method: method, credentials: "omit", headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(base + path, options).then(function (response) {
      if (response.status === 204) return null;
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok) {
          var error = new Error((data && data.error) || FALLBACK_ERROR);
          error.status = response.status;
          throw error;
        }
        return data;
      });
    }, function () {
      var error = new Error(OFFLINE_ERROR);
      error.status = 0;
      throw error;
    });
  }

  function connectSocket() {
    if (!conversationId || !window.WebSocket) return;
    var id = conversationId;
    var ws = new WebSocket(base.replace(/^http/, "ws") + "/api/conversations/" + id + "/ws");
    socket = ws;
    ws.onopen = function () { reconnectDelay = 1000; };
    ws.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame && frame.type === "messages" && Array.isArray(frame.messages)) renderMessages(frame.messages, true);
      if (frame && frame.type === "handoff") setHandoff(frame);
    };
    ws.onclose = function (event) {
      if (socket !== ws) return;
      socket = null;
      // 4404: the conversation was deleted; 4409: a newer tab of it took this socket's place.
      if (event.code === 4404 || event.code === 4409 || conversationId !== id) return;
      setTimeout(function () { if (conversationId === id && !socket) connectSocket(); }, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, 30000);
    };
  }

  function closeSocket() {
    if (socket) {
      var ws = socket;
      socket = null;
      ws.close();
    }
  }

  function newConversation() {
    setBusy(true);
    return request("POST", "/api/conversations").then(function (data) {
      conversationId = data.id;
      try { sessionStorage.setItem(STORAGE_KEY, conversationId); } catch (e) { /* private mode: keep it in memory */ }
      renderMessages(data.messages || [], true);
      connectSocket();
    }).catch(function (error) {
      renderNotice(error.message, "error");
    }).then(function () { setBusy(false); });
  }

  function resume(id) {
    setBusy(true);
    return request("GET", "/api/conversations/" + id + "/messages").then(function (data) {
      conversationId = id;
      var messages = data.messages || [];
      var lastUser = -1;
      messages.forEach(function (m, i) { if (m.from === "user") lastUser = i; });
      renderMessages(messages.slice(0, lastUser + 1), false);
      renderMessages(messages.slice(lastUser + 1), true);
      if (data.handoff) setHandoff(data.handoff);
      connectSocket();
      setBusy(false);
    }, function (error) {
      setBusy(false);
      if (error.status === 404) {
        forget();
        return newConversation();
      }
      renderNotice(error.message, "error");
    });
  }

  function forget() {
    conversationId = null;
    try { sessionStorage.removeItem(STORAGE_KEY); } catch (e) { /* nothing stored */ }
  }

  function start() {
    if (!starting) {
      var stored = null;
      try { stored = sessionStorage.getItem(STORAGE_KEY); } catch (e) { /* no storage */ }
      starting = stored ? resume(stored) : newConversation();
    }
    return starting;
  }

  function send(body, shown) {
    if (busy) return;
    if (!conversationId) {
      starting = null;
      start();
      return;
    }
    clearQuickReplies();
    renderUser(shown);
    setBusy(true);
    request("POST", "/api/conversations/" + conversationId + "/messages", body).then(function (data) {
      renderMessages(data.messages || [], true);
    }).catch(function (error) {
      renderNotice(error.message, "error");
      if (error.status === 404) {
        forget();
        starting = null;
      }
    }).then(function () {
      setBusy(false);
      input.focus();
    });
  }

  function deleteConversation() {
    var id = conversationId;
    hideConfirm();
    closeSocket();
    forget();
    var done = function () {
      while (log.firstChild) log.removeChild(log.firstChild);
      seen = {};
      setHandoff(null);
      banner.hidden = true;
      renderNotice("Samtalen er slettet. Du kan starte på nytt når du vil.");
      starting = newConversation();
      input.focus();
    };
    if (!id) return done();
    request("DELETE", "/api/conversations/" + id).then(done, function (error) {
      if (error.status === 404) return done();
      conversationId = id;
      try { sessionStorage.setItem(STORAGE_KEY, id); } catch (e) { /* nothing */ }
      connectSocket();
      renderNotice(error.message, "error");
    });
  }

  // ---------- Open, close, confirm ----------
  function open() {
    panel.hidden = false;
    root.classList.add("akan-widget--open");
    launcher.setAttribute("aria-expanded", "true");
    start();
    loadCrisisLines().catch(function () { /* the help says so when opened */ });
    input.focus();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove("akan-widget--open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  function showConfirm() {
    actions.hidden = true;
    confirmBox.hidden = false;
    confirmNo.focus();
  }

  function hideConfirm() {
    confirmBox.hidden = true;
    actions.hidden = false;
  }

  launcher.addEventListener("click", function () { if (panel.hidden) open(); else close(); });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      if (!confirmBox.hidden) { hideConfirm(); deleteButton.focus(); } else close();
    }
  });
  bannerHide.addEventListener("click", function () { banner.hidden = true; input.focus(); });
  helpButton.addEventListener("click", function () { if (helpPanel.hidden) showHelp(); else hideHelp(); });
  helpHide.addEventListener("click", function () { hideHelp(); helpButton.focus(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
    send({ text: text }, text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit(); else form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  humanButton.addEventListener("click", function () { send({ button: COUNSELLOR_PAYLOAD }, "Snakk med veileder"); });
  cancelButton.addEventListener("click", cancelHandoff);
  deleteButton.addEventListener("click", showConfirm);
  confirmNo.addEventListener("click", function () { hideConfirm(); deleteButton.focus(); });
  confirmYes.addEventListener("click", deleteConversation);
  Array.prototype.forEach.call(document.querySelectorAll("[data-akan-open]"), function (node) {
    node.addEventListener("click", function (event) { event.preventDefault(); open(); });
  });
  if (script.getAttribute("data-open") === "true") open();
})();
