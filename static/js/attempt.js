// quizapp attempt pages: save each answer as it changes, keep the page's sequence number
// current, and count down the time left. Everything here is an enhancement: without
// JavaScript the Next/Previous/Flag buttons save the answer with a normal form post.
// The server's replies never include a correct answer or a grade.
(function () {
  "use strict";

  var form = document.getElementById("question-form");
  var status = document.getElementById("save-status");
  var timer = document.getElementById("timer");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";
  var TYPING_PAUSE = 800; // ms after the last keystroke before a typed answer is saved

  var inFlight = null; // the save being sent, if any
  var again = false; // the answer changed while a save was in flight
  var stopped = false; // the page is stale or the attempt is over: saving is pointless

  function seqInputs() {
    return document.querySelectorAll('input[name="seq"]');
  }

  function currentSeq() {
    var input = seqInputs()[0];
    return input ? input.value : "";
  }

  function setSeq(value) {
    seqInputs().forEach(function (input) {
      input.value = String(value);
    });
  }

  function say(text, state, link) {
    if (!status) return;
    status.textContent = text;
    status.setAttribute("data-state", state);
    if (link) {
      status.appendChild(document.createTextNode(" "));
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      status.appendChild(anchor);
    }
  }

  function markAnswered(slot, answered) {
    var button = document.getElementById("goto-" + slot);
    if (!button) return;
    button.classList.toggle("is-answered", answered);
    var flagged = button.classList.contains("is-flagged");
    var label = "Question " + slot + ": " + (answered ? "answered" : "not answered");
    button.setAttribute("aria-label", label + (flagged ? ", flagged" : ""));
    var buttons = document.querySelectorAll(".overview-item");
    var done = document.querySelectorAll(".overview-item.is-answered").length;
    var flags = document.querySelectorAll(".overview-item.is-flagged").length;
    var summary = document.getElementById("overview-summary");
    if (summary) {
      summary.textContent =
        done + " answered, " + (buttons.length - done) + " not answered, " + flags + " flagged.";
    }
  }

  function refuse(response, body) {
    var message = (body && body.message) || "Not saved.";
    if (response.status === 422) {
      say(message, "incomplete");
      return;
    }
    stopped = response.status === 409 || response.status === 404;
    if (body && body.redirect) {
      say(message, "error", { href: body.redirect, text: "See the review" });
    } else {
      var text = message.indexOf("Not saved") === 0 ? message : "Not saved — reload. " + message;
      say(text, "error", {
        href: window.location.href.split("#")[0],
        text: "Reload this question",
      });
    }
  }

  function send() {
    var data = new FormData(form);
    return fetch(form.getAttribute("data-autosave-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf },
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          if (response.ok) {
            setSeq(body.sequence);
            markAnswered(body.slot, body.answered);
            say("Saved", "saved");
          } else {
            refuse(response, body);
          }
        });
    });
  }

  function save() {
    if (stopped || !form) return Promise.resolve();
    if (inFlight) {
      again = true;
      return inFlight;
    }
    say("Saving…", "saving");
    inFlight = send()
      .catch(function () {
        say("Not saved — check your connection, then reload.", "error", {
          href: window.location.href.split("#")[0],
          text: "Reload this question",
        });
      })
      .then(function () {
        inFlight = null;
        if (again && !stopped) {
          again = false;
          return save();
        }
      });
    return inFlight;
  }

  function watchAnswers() {
    var typing = null;
    form.addEventListener("change", function (event) {
      if (event.target.closest("#question")) save();
    });
    form.addEventListener("input", function (event) {
      if (event.target.type !== "text" || !event.target.closest("#question")) return;
      clearTimeout(typing);
      typing = setTimeout(save, TYPING_PAUSE);
    });
    // A button press while a save is on its way waits for it, so the post carries the
    // new sequence number instead of looking stale.
    form.addEventListener("submit", function (event) {
      if (!inFlight) return;
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        if (form.requestSubmit) form.requestSubmit(submitter);
        else form.submit();
      });
    });
  }

  function clock(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function submitNow(submitUrl, expireUrl, graceMs) {
    var data = new FormData();
    data.append("csrf_token", csrf);
    data.append("seq", currentSeq());
    var later = function () {
      window.setTimeout(function () {
        window.location.assign(expireUrl);
      }, graceMs + 1000);
    };
    // The redirect is not followed here, so its message is shown on the next page.
    fetch(submitUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrf },
    })
      .then(function (response) {
        if (response.ok || response.type === "opaqueredirect") window.location.assign(expireUrl);
        else later();
      })
      .catch(later);
  }

  function countDown() {
    var output = document.getElementById("time-left");
    var notice = document.getElementById("timer-alert");
    var start = Number(timer.getAttribute("data-seconds-left"));
    var graceMs = Number(timer.getAttribute("data-grace")) * 1000;
    var end = Date.now() + start * 1000;
    var warnings = [300, 60].filter(function (mark) {
      return start > mark;
    });
    var handle = window.setInterval(tick, 1000);

    function tick() {
      var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      output.textContent = clock(left);
      if (warnings.length && left <= warnings[0]) {
        var minutes = warnings.shift() / 60;
        notice.textContent = minutes + (minutes === 1 ? " minute" : " minutes") + " left.";
      }
      // Submit 1.5 s after the deadline (the server rounds the time left down; well inside
      // the grace period), so the server, whose clock decides, records a time-out.
      if (Date.now() < end + 1500) return;
      window.clearInterval(handle);
      notice.textContent = "Time is up. Your saved answers are being submitted.";
      Promise.resolve(inFlight).then(function () {
        stopped = true;
        submitNow(
          timer.getAttribute("data-submit-url"),
          timer.getAttribute("data-expire-url"),
          graceMs
        );
      });
    }
    tick();
  }

  if (form && form.getAttribute("data-autosave-url")) watchAnswers();
  if (timer) countDown();
})();
