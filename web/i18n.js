// The page's words in English and Persian, and how numbers and dates are written in each.
// Persian dates are in the Solar Hijri calendar (the browser's Intl "persian" calendar) with
// Persian digits, the Gregorian date beside them.
"use strict";

const GA_TEXT = {
  en: {
    title: "GraveAtlas", search: "Search", searchHint: "Search names in any language", mapLabel: "Map of the sites",
    timeLabel: "The map as it was in", now: "Today", today: "today", filters: "Filters", type: "Type", condition: "Condition",
    status: "Status", legend: "Condition", inView: "Sites in view", close: "Close",
    credit: "Basemap: Natural Earth (public domain). Site data: GraveAtlas.",
    count: (n) => n === 1 ? "1 site" : `${n} sites`,
    names: "Names", precision: "Location", victims: "Victims (estimate)", identified: "identified", period: "Period",
    history: "History", sources: "Sources", noEvents: "No dated events recorded.", noResults: "No site found.",
    generalised: (deg) => `Location generalised to ${deg}°: the site lies somewhere in this grid cell, not at a point.`,
    cellCount: (n) => `${n} sites in this cell`,
    loading: "Loading…", loadFailed: "The site data could not be loaded.",
    asOf: (y) => `as in ${y}`, description: "Description",
    site_type: { mass_grave: "mass grave", individual_grave: "individual grave", cemetery: "cemetery", cemetery_section: "cemetery section",
      execution_site: "execution site", suspected_site: "suspected site", memorial: "memorial" },
    condition_: { intact: "intact", damaged: "damaged", destroyed: "destroyed", built_over: "built over", exhumed: "exhumed",
      relocated: "relocated", unknown: "unknown" },
    status_: { suspected: "suspected", reported: "reported", corroborated: "corroborated", confirmed: "confirmed" },
    precision_: { exact: "exact", approximate: "approximate", representative: "representative point", locality: "city or town centre",
      region: "region" },
    event_: { reported: "reported", visited: "visited", damaged: "damaged", bulldozed: "bulldozed", built_over: "built over",
      exhumed: "exhumed", commemoration_blocked: "commemoration blocked", other: "other" },
  },
  fa: {
    title: "اطلس گورها", search: "جستجو", searchHint: "جستجوی نام به هر زبان", mapLabel: "نقشهٔ مکان‌ها",
    timeLabel: "نقشه در سال", now: "امروز", today: "امروز", filters: "پالایه‌ها", type: "نوع", condition: "وضعیت",
    status: "درجهٔ اطمینان", legend: "وضعیت", inView: "مکان‌های درون نقشه", close: "بستن",
    credit: "نقشهٔ پایه: Natural Earth (مالکیت عمومی). داده‌ها: GraveAtlas.",
    count: (n) => `${faNumber(n)} مکان`,
    names: "نام‌ها", precision: "موقعیت", victims: "شمار قربانیان (برآورد)", identified: "شناسایی‌شده", period: "دوره",
    history: "تاریخچه", sources: "منابع", noEvents: "رویداد تاریخ‌داری ثبت نشده است.", noResults: "مکانی یافت نشد.",
    generalised: (deg) => `موقعیت به خانه‌ای از شبکهٔ ${faNumber(deg)} درجه‌ای تعمیم داده شده است: مکان جایی درون این خانه است، نه در یک نقطه.`,
    cellCount: (n) => `${faNumber(n)} مکان در این خانه`,
    loading: "در حال بارگذاری…", loadFailed: "داده‌های مکان‌ها بارگذاری نشد.",
    asOf: (y) => `در سال ${gaDate(String(y), "fa")}`, description: "شرح",
    site_type: { mass_grave: "گور جمعی", individual_grave: "گور فردی", cemetery: "گورستان", cemetery_section: "بخشی از گورستان",
      execution_site: "محل اعدام", suspected_site: "مکان مظنون", memorial: "یادمان" },
    condition_: { intact: "دست‌نخورده", damaged: "آسیب‌دیده", destroyed: "ویران‌شده", built_over: "ساخت‌وساز روی آن", exhumed: "نبش‌شده",
      relocated: "جابه‌جاشده", unknown: "نامعلوم" },
    status_: { suspected: "مظنون", reported: "گزارش‌شده", corroborated: "تأییدشده با شواهد", confirmed: "قطعی" },
    precision_: { exact: "دقیق", approximate: "تقریبی", representative: "نقطهٔ نماینده", locality: "مرکز شهر", region: "منطقه" },
    event_: { reported: "گزارش", visited: "بازدید", damaged: "آسیب", bulldozed: "تخریب با بولدوزر", built_over: "ساخت‌وساز",
      exhumed: "نبش", commemoration_blocked: "جلوگیری از یادبود", other: "دیگر" },
  },
};

function faNumber(n) {
  return Number(n).toLocaleString("fa-IR", { useGrouping: false, maximumFractionDigits: 6 });
}

function gaNumber(n, lang) {
  return lang === "fa" ? Number(n).toLocaleString("fa-IR") : Number(n).toLocaleString("en");
}

function gaWord(lang, group, value) {
  const words = GA_TEXT[lang][group + "_"] || {};
  return words[value] || String(value).replace(/_/g, " ");
}

// A distance in metres as "±10 km" or "±250 m".
function gaDistance(metres, lang) {
  const km = metres >= 1000;
  const n = km ? Math.round(metres / 100) / 10 : Math.round(metres);
  const unit = lang === "fa" ? (km ? " کیلومتر" : " متر") : (km ? " km" : " m");
  return "±" + gaNumber(n, lang) + unit;
}

// One part of an ISO 8601 date ("2003", "2003-05", "2003-05-14"): its precision, first and last day.
function gaDatePart(text) {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(text || "");
  if (!m) return null;
  const y = +m[1], mo = m[2] ? +m[2] : null, d = m[3] ? +m[3] : null;
  const first = new Date(Date.UTC(y, mo ? mo - 1 : 0, d || 1));
  const last = d ? first : new Date(Date.UTC(mo ? y : y + 1, mo ? mo : 0, 0));
  return { precision: d ? "day" : mo ? "month" : "year", first, last, year: y, text };
}

const GA_SOLAR = {
  year: new Intl.DateTimeFormat("fa-IR-u-ca-persian", { year: "numeric", timeZone: "UTC" }),
  month: new Intl.DateTimeFormat("fa-IR-u-ca-persian", { year: "numeric", month: "long", timeZone: "UTC" }),
  day: new Intl.DateTimeFormat("fa-IR-u-ca-persian", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }),
};

// A Solar Hijri rendering of a date part: the Solar Hijri years, months or day it covers.
function gaSolar(part) {
  const f = GA_SOLAR[part.precision];
  const a = f.format(part.first).replace(/ ه‍\.ش\.?$/, ""), b = f.format(part.last).replace(/ ه‍\.ش\.?$/, "");
  return a === b ? a : `${a}–${b}`;
}

// A date (ISO 8601, or an interval "A/B") for the chosen language: Gregorian in English; in
// Persian, Solar Hijri with Persian digits and the Gregorian beside it.
function gaDate(iso, lang) {
  if (!iso) return "";
  const parts = String(iso).split("/").map(gaDatePart);
  if (parts.some((p) => !p)) return String(iso);
  const gregorian = parts.map((p) => p.text).join(" – ");
  if (lang !== "fa") return gregorian;
  // One Solar Hijri span from the first day to the last (a Gregorian year straddles two Solar Hijri years).
  const solar = gaSolar({ precision: parts[0].precision, first: parts[0].first, last: parts[parts.length - 1].last });
  const g = parts.map((p) => p.text.replace(/\d/g, (c) => "۰۱۲۳۴۵۶۷۸۹"[c])).join(" تا ");
  return `${solar} (${g} میلادی)`;
}
