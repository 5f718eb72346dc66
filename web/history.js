// A site's condition as of a year, from its dated events: the condition its last event dated at
// or before the year gives (an interval event counts from its start); `unknown` before its
// first such event. Events that say nothing of the condition (reported, visited, …) are passed
// over.
"use strict";

const GA_EVENT_CONDITION = { damaged: "damaged", bulldozed: "destroyed", built_over: "built_over", exhumed: "exhumed" };

// The first day an event can mean, "YYYY-MM-DD", or null when it is undated.
function gaEventStart(event) {
  if (event.date_from) return event.date_from;
  if (event.date) {
    const first = String(event.date).split("/")[0];
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(first);
    if (m) return `${m[1]}-${m[2] || "01"}-${m[3] || "01"}`;
  }
  return null;
}

// The condition of `site` (a feature's properties, with `events`) as of `year`; its recorded
// condition when `year` is null.
function gaConditionAsOf(properties, year) {
  if (year === null || year === undefined) return properties.condition || "unknown";
  let best = null, bestStart = "";
  for (const event of properties.events || []) {
    const condition = GA_EVENT_CONDITION[event.type];
    const start = gaEventStart(event);
    if (!condition || !start || +start.slice(0, 4) > year) continue;
    if (best === null || start >= bestStart) { best = condition; bestStart = start; }
  }
  return best || "unknown";
}

// The event that gives the condition as of `year` (the latest dated event when `year` is null).
function gaEventAsOf(properties, year) {
  let best = null, bestStart = "";
  for (const event of properties.events || []) {
    const start = gaEventStart(event);
    if (!start || (year !== null && year !== undefined && +start.slice(0, 4) > year)) continue;
    if (year !== null && year !== undefined && !GA_EVENT_CONDITION[event.type]) continue;
    if (best === null || start >= bestStart) { best = event; bestStart = start; }
  }
  return best;
}
