"""Dates in Persian text: Solar Hijri and Gregorian, full and partial, absolute and relative.

Runs on the normalised text (digits already ASCII, letters folded). Every date carries the
span it was read from, the Solar Hijri form where the text gives one, the ISO form (converted
with jdatetime), its precision, and whether it was inferred (a relative date counted from the
publication date, or a year taken from the publication date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import jdatetime

from paradiplomacy.ingest.normalise import Normalised, fold

SH_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
GREG_MONTHS = ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر")
#: Saturday first, as the Persian week; «سه شنبه» and «پنج شنبه» are written with or without a space
WEEKDAYS = ("شنبه", "یکشنبه", "دوشنبه", "سه ?شنبه", "چهارشنبه", "پنج ?شنبه", "جمعه")
_SH = {fold(m): i + 1 for i, m in enumerate(SH_MONTHS)}
_GR = {fold(m): i + 1 for i, m in enumerate(GREG_MONTHS)}
_SH_ALT = "|".join(sorted(map(re.escape, _SH), key=len, reverse=True))
_GR_ALT = "|".join(sorted(map(re.escape, _GR), key=len, reverse=True))
_WD_ALT = "|".join(fold(w) for w in sorted(WEEKDAYS, key=len, reverse=True))
#: day numbers written as words («یک شهریور», «اول تیرماه»)
_DAY_WORDS = {
    fold(w): i
    for i, ws in enumerate(
        (("یک", "یکم", "اول"), ("دو", "دوم"), ("سه", "سوم"), ("چهار", "چهارم"), ("پنج", "پنجم"),
         ("شش", "ششم"), ("هفت", "هفتم"), ("هشت", "هشتم"), ("نه", "نهم"), ("ده", "دهم")),
        start=1,
    )
    for w in ws
}
_DAY = r"(?P<d>\d{1,2}|" + "|".join(sorted(_DAY_WORDS, key=len, reverse=True)) + r")"
_B = r"(?<![\w/])"  # not inside a word or a number
_E = r"(?![\w/])"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("numeric-ymd", re.compile(_B + r"(?P<y>1[34]\d\d|20\d\d|19\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})" + _E)),
    ("numeric-dmy", re.compile(_B + r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>1[34]\d\d|20\d\d|19\d\d)" + _E)),
    ("sh-range",
     re.compile(_B + r"(?P<d>\d{1,2}) ?(?:و|تا|-) ?(?P<d2>\d{1,2}) ?(?P<mn>" + _SH_ALT + r")(?: ?ماه)?(?: (?:سال )?(?P<y>1[34]\d\d))?" + _E)),
    ("sh-dmy", re.compile(_B + _DAY + r" ?(?:ام )?(?P<mn>" + _SH_ALT + r")(?: ?ماه)?(?: (?:سال )?(?P<y>1[34]\d\d|\d\d))?" + _E)),
    ("sh-my", re.compile(_B + r"(?P<mn>" + _SH_ALT + r")(?: ?ماه)?(?: سال)? (?P<y>1[34]\d\d)" + _E)),
    ("greg-dmy", re.compile(_B + r"(?P<d>\d{1,2}) (?P<mn>" + _GR_ALT + r")(?: (?P<y>(?:19|20)\d\d))?" + _E)),
    ("greg-my", re.compile(_B + r"(?P<mn>" + _GR_ALT + r") (?P<y>(?:19|20)\d\d)" + _E)),
    ("greg-paren", re.compile(r"\( ?(?P<y>(?:19|20)\d\d) ?\)")),
    ("sh-year", re.compile(r"(?:سال|سالهای|دهه) (?:(?P<y>1[34]\d\d)|(?P<yy>[5-9]\d))" + _E)),
    ("greg-year", re.compile(r"(?:سال) (?P<y>(?:19|20)\d\d)" + _E)),
    ("sh-month", re.compile(_B + r"(?P<mn>" + _SH_ALT + r") ?ماه" + _E)),
    ("relative-month", re.compile(_B + r"(?P<rm>همین ماه|این ماه|ماه جاری|ماه آینده|ماه آتی|ماه گذشته|ماه قبل)" + _E)),
    ("weekday", re.compile(_B + r"(?:(?P<pre>روز) )?(?P<wd>" + _WD_ALT + r")(?P<rel> (?:گذشته|پیش|قبل|آینده|آتی))?" + _E)),
    ("relative-day", re.compile(_B + r"(?P<rd>امروز|دیروز|پریروز|فردا|پس ?فردا)" + _E)),
    ("years-ago", re.compile(_B + r"(?:حدود )?(?P<n>\d{1,2}) ?سال (?:قبل|پیش)" + _E)),
]
_RELATIVE_DAYS = {"امروز": 0, "دیروز": -1, "پریروز": -2, "فردا": 1, "پسفردا": 2, "پس فردا": 2}


@dataclass(frozen=True)
class DateMention:
    start: int  # input offsets
    end: int
    text: str
    iso: str  # YYYY, YYYY-MM or YYYY-MM-DD ("" when only a weekday without a publication date)
    sh: str  # Solar Hijri YYYY, YYYY-MM or YYYY-MM-DD where the text is Solar Hijri
    precision: str  # day | month | year
    inferred: bool
    rule: str
    end_iso: str = ""  # the last day of a range («12 و 13 خرداد»)
    end_sh: str = ""

    @property
    def interval(self) -> tuple[date, date]:
        """First and last Gregorian day the date may denote."""
        if self.sh:
            parts = [int(p) for p in self.sh.split("-")]
            y, m, d = (parts + [0, 0])[:3]
            first = jdatetime.date(y, m or 1, d or 1).togregorian()
            if d:
                if self.end_iso:
                    return first, date.fromisoformat(self.end_iso)
                return first, first
            if m:
                last = jdatetime.date(y + (m == 12), m % 12 + 1, 1).togregorian() - timedelta(days=1)
            else:
                last = jdatetime.date(y + 1, 1, 1).togregorian() - timedelta(days=1)
            return first, last
        parts = [int(p) for p in self.iso.split("-")]
        y, m, d = (parts + [0, 0])[:3]
        if d:
            return date(y, m, d), date(y, m, d)
        if m:
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return date(y, m, 1), nxt - timedelta(days=1)
        return date(y, 1, 1), date(y, 12, 31)


def _sh(y: int, m: int = 0, d: int = 0) -> tuple[str, str]:
    """Solar Hijri parts → (sh, iso); raises ValueError on an impossible date."""
    if d:
        g = jdatetime.date(y, m, d).togregorian()
        return f"{y:04d}-{m:02d}-{d:02d}", g.isoformat()
    if m:
        g = jdatetime.date(y, m, 1).togregorian()
        return f"{y:04d}-{m:02d}", g.isoformat()[:7]
    return f"{y:04d}", str(jdatetime.date(y, 1, 1).togregorian().year)


def find_dates(norm: Normalised, published: date | None = None) -> list[DateMention]:
    """Every date in the text, earlier patterns winning where spans overlap, in text order."""
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    pub_sh = jdatetime.date.fromgregorian(date=published) if published else None
    for rule, pattern in _PATTERNS:
        for m in pattern.finditer(norm.text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            try:
                found = _read(rule, m, published, pub_sh)
            except ValueError:
                continue  # «31 اسفند» of a common year, «13/13/1398»: not a date
            if found is None:
                continue
            iso, sh, precision, inferred = found
            end_iso = end_sh = ""
            if rule == "sh-range":
                end_sh, end_iso = _sh(int(sh[:4]), int(sh[5:7]), int(m.group("d2")))
            a, b = norm.span(m.start(), m.end())
            taken.append((m.start(), m.end()))
            out.append(DateMention(a, b, norm.original[a:b], iso, sh, precision, inferred, rule, end_iso, end_sh))
    return sorted(out, key=lambda d: (d.start, d.end))


def _read(rule: str, m: re.Match[str], published: date | None, pub_sh: jdatetime.date | None) -> tuple[str, str, str, bool] | None:
    """(iso, sh, precision, inferred) of the date ``m`` matched by ``rule``; ``pub_sh`` is
    ``published`` in the Solar Hijri calendar (None with it)."""
    g = m.groupdict()
    if rule in ("numeric-ymd", "numeric-dmy"):
        y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        if y < 1500:
            sh, iso = _sh(y, mo, d)
            return iso, sh, "day", False
        return date(y, mo, d).isoformat(), "", "day", False
    if rule in ("sh-dmy", "sh-my", "sh-range"):
        mo = _SH[g["mn"]]
        d = (int(g["d"]) if g["d"].isdigit() else _DAY_WORDS[g["d"]]) if g.get("d") else 0
        if d and not 1 <= d <= 31:
            return None
        if g.get("y"):
            y = int(g["y"])
            y = y + 1300 if y < 100 else y
            inferred = False
        elif pub_sh is not None:
            # no year printed: the latest such day not after the publication
            y = pub_sh.year if (mo, d) <= (pub_sh.month, pub_sh.day) else pub_sh.year - 1
            inferred = True
        else:
            return None
        sh, iso = _sh(y, mo, d)
        return iso, sh, "day" if d else "month", inferred
    if rule in ("greg-dmy", "greg-my"):
        mo = _GR[g["mn"]]
        d = int(g["d"]) if g.get("d") else 0
        if g.get("y"):
            y, inferred = int(g["y"]), False
        elif published is not None:
            y, inferred = published.year, True
        else:
            return None
        if d:
            return date(y, mo, d).isoformat(), "", "day", inferred
        return f"{y:04d}-{mo:02d}", "", "month", inferred
    if rule in ("greg-paren", "greg-year"):
        return g["y"], "", "year", False
    if rule == "sh-year":
        y = int(g["y"]) if g.get("y") else 1300 + int(g["yy"])
        if g.get("yy") and m.group().startswith("دهه"):
            return None  # a decade («دهه ۹۰») is not a year
        sh, iso = _sh(y)
        return iso, sh, "year", False
    if published is None or pub_sh is None:
        return None
    if rule == "sh-month":
        # «تیرماه» without a year: the month of that name nearest to the publication
        mo = _SH[g["mn"]]
        y = pub_sh.year + (1 if mo - pub_sh.month < -6 else -1 if mo - pub_sh.month > 6 else 0)
        sh, iso = _sh(y, mo)
        return iso, sh, "month", True
    if rule == "relative-month":
        step = 1 if g["rm"] in ("ماه آینده", "ماه آتی") else -1 if g["rm"] in ("ماه گذشته", "ماه قبل") else 0
        y, mo = divmod(pub_sh.year * 12 + pub_sh.month - 1 + step, 12)
        sh, iso = _sh(y, mo + 1)
        return iso, sh, "month", True
    if rule == "relative-day":
        day = published + timedelta(days=_RELATIVE_DAYS[g["rd"]])
        return day.isoformat(), jdatetime.date.fromgregorian(date=day).strftime("%Y-%m-%d"), "day", True
    if rule == "weekday":
        if re.match(r" ?\d", m.string[m.end() : m.end() + 2]):
            return None  # «شنبه 11 آبان»: the date that follows says which day
        if g["wd"] == fold("دوشنبه") and not (g.get("pre") or g.get("rel")):
            return None  # also Dushanbe: a Monday only when the text says «روز دوشنبه» or «دوشنبه گذشته»
        want = next(i for i, w in enumerate(WEEKDAYS) if re.fullmatch(fold(w), g["wd"]))
        # jdatetime: weekday() 0 = Saturday; "last X" / bare X = the latest such day before publication
        today = jdatetime.date.fromgregorian(date=published).weekday()
        back = (today - want) % 7 or 7
        if g.get("rel") and g["rel"].strip() in ("آینده", "آتی"):
            day = published + timedelta(days=(want - today) % 7 or 7)
        else:
            day = published - timedelta(days=back)
        return day.isoformat(), jdatetime.date.fromgregorian(date=day).strftime("%Y-%m-%d"), "day", True
    if rule == "years-ago":
        y = pub_sh.year - int(g["n"])
        sh, iso = _sh(y)
        return iso, sh, "year", True
    return None


def parse_publication_date(value: str) -> date:
    """``1404-03-31`` / ``1404/03/31`` (Solar Hijri, year < 1700) or ISO ``2025-06-21`` → a Gregorian date."""
    text = fold(value).replace("/", "-")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not m:
        raise ValueError(f"publication date {value!r}: expected YYYY-MM-DD (Solar Hijri or ISO)")
    y, mo, d = map(int, m.groups())
    return jdatetime.date(y, mo, d).togregorian() if y < 1700 else date(y, mo, d)
