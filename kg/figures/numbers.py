"""Numbers and number+unit quantities in Chinese news sentences.

Pure string functions, no NLP model: statistics in government news follow a small set of
written forms (2443.33万人, 百分之九十九点一二, 1100余元, 排名第五位), so regular
expressions composed from the named parts below find them quickly and predictably.

``parse_number`` reads one number in any written form. ``find_quantities`` scans a
sentence for figures: a number followed by a unit from ``units.tsv`` (or a rank),
with the words around it that say whether it is approximate (近, 余, 以上) or a
change (同比增长, 下降). Everything that only looks like a figure is refused by a
stated rule: dates and periods (left to ``kg.figures.periods``), ordinals (第七批),
names and slogans (“三支一扶”, 十六届五次全会, 《…三年行动…》), and Chinese numerals
that are words (一个问题, 千家万户).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from kg.figures.units import MEASURE_KINDS, RANK_UNIT, Unit, lookup_unit, unit_pattern

# --------------------------------------------------------------------------------------
# Character folding
# --------------------------------------------------------------------------------------

# Full-width digits, Latin letters and the few symbols used in numbers map one-to-one to
# ASCII so offsets do not move. The full-width comma ， stays (it is mostly punctuation;
# ``ARABIC`` accepts it between digit groups).
_FOLD = {c: c - 0xFEE0 for c in range(ord("０"), ord("９") + 1)}
_FOLD.update({c: c - 0xFEE0 for c in range(ord("Ａ"), ord("Ｚ") + 1)})
_FOLD.update({c: c - 0xFEE0 for c in range(ord("ａ"), ord("ｚ") + 1)})
_FOLD.update({ord(a): ord(b) for a, b in zip("．％－～＋／", ".%-~+/", strict=True)})
_FOLD.update({0x3000: 0x20, 0xA0: 0x20})  # ideographic and no-break spaces


#: Any character ``fold_width`` changes (most texts have none: no translation then).
_FOLDED = re.compile("[" + "".join(re.escape(chr(c)) for c in _FOLD) + "]")


def fold_width(text: str) -> str:
    """``text`` with full-width digits, letters and signs as ASCII (same length)."""
    return text.translate(_FOLD) if _FOLDED.search(text) else text


# --------------------------------------------------------------------------------------
# Chinese numerals
# --------------------------------------------------------------------------------------

#: Digit characters, including the financial forms and the two zeros used in years.
CN_DIGITS = {
    "〇": 0, "○": 0, "零": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3,
    "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
    "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_CN_ZEROS = frozenset("〇○零")
#: Place values inside a section (below 万).
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
#: Section multipliers; 亿 is split before 万 so 一亿二千万 and 2万亿 both parse.
_CN_BIG = (("亿", 10**8), ("億", 10**8), ("万", 10**4), ("萬", 10**4))
#: Contractions expanded before parsing.
_CN_CONTRACTIONS = {"廿": "二十", "卅": "三十"}
#: Numerals made only of these are bare magnitudes (千, 万, 千万), not counts.
_MAGNITUDE_ONLY = frozenset("百佰千仟万萬亿億")

_TOKEN = re.compile(r"[0-9]+(?:\.[0-9]+)?|.", re.S)
_ARABIC_ONLY = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[,，][0-9]{3})+(?:\.[0-9]+)?")
_DIGITS_COMMAS = re.compile(r"[0-9,，]+")


def _section(s: str) -> Decimal | None:
    """Value of a numeral without 万/亿: 一千七百七十五, 二〇二三, 3千, 九十九点一二."""
    if not s:
        return None
    if _ARABIC_ONLY.fullmatch(s):
        return Decimal(s)
    if "点" in s:  # 九十九点一二: the fraction is read digit by digit
        whole, _, frac = s.partition("点")
        head = _section(whole) if whole else Decimal(0)
        if head is None or not frac or head != head.to_integral_value():
            return None
        if all(c in CN_DIGITS for c in frac):
            digits = "".join(str(CN_DIGITS[c]) for c in frac)
        elif frac.isascii() and frac.isdigit():
            digits = frac
        else:
            return None
        return Decimal(f"{int(head)}.{digits}")
    if len(s) > 1 and all(c in CN_DIGITS for c in s):  # 二〇二三: digit by digit
        return Decimal("".join(str(CN_DIGITS[c]) for c in s))
    total = Decimal(0)
    current: Decimal | None = None
    last_place: int | None = None
    zero_seen = False
    for tok in _TOKEN.findall(s):
        if tok in _CN_ZEROS and last_place is not None:
            zero_seen = True
        elif tok in CN_DIGITS or tok[0].isdigit():
            if current is not None:  # two digits without a place value: 十四五
                return None
            current = Decimal(CN_DIGITS[tok]) if tok in CN_DIGITS else Decimal(tok)
        elif tok in _CN_SMALL:
            place = _CN_SMALL[tok]
            if last_place is not None and place >= last_place:
                return None
            total += (current if current is not None else 1) * place
            current, last_place, zero_seen = None, place, False
        else:
            return None
    if current is not None:
        # 两千五 = 2500, 一百五 = 150: a last digit after 百/千 without 零 is one
        # place lower
        if last_place is not None and last_place >= 100 and not zero_seen:
            if current < 10:
                current *= last_place // 10
        total += current
    return total


def _numeral(s: str) -> Decimal | None:
    """Value of a numeral that may contain 万/亿 sections, Arabic digits or both."""
    for big, mult in _CN_BIG:
        i = s.rfind(big)
        if i < 0:
            continue
        left, right = s[:i], s[i + 1 :]
        lv = _numeral(left) if left else Decimal(1)
        if lv is None:
            return None
        if not right:
            rv = Decimal(0)
        elif len(right) == 1 and right in CN_DIGITS and left:  # 三万五 = 35000
            rv = Decimal(CN_DIGITS[right] * mult // 10)
        else:
            rv = _numeral(right)
            if rv is None or rv >= mult:
                return None
        return lv * mult + rv
    return _section(s)


def to_number(value: Decimal) -> int | float:
    """An int when ``value`` is integral, else a float (what JSON reports want)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def parse_decimal(text: str) -> Decimal | None:
    """Like ``parse_number`` but exact: a Decimal, so 2443.33万 is 24433300 exactly."""
    if _ARABIC_ONLY.fullmatch(text):
        return Decimal(text)  # most numbers: what the steps below come to
    s = "".join(fold_width(text).split())
    for short, long in _CN_CONTRACTIONS.items():
        s = s.replace(short, long)
    sign = 1
    if s[:1] in ("-", "负"):
        sign, s = -1, s[1:]
    if s.startswith(("百分之", "千分之")):
        s = s[3:]
    elif s.endswith(("%", "‰")):
        s = s[:-1]
    if not s:
        return None
    m = _DIGITS_COMMAS.match(s)
    if m and ("," in m.group() or "，" in m.group()):
        grouped = _GROUPED.match(s)
        if not grouped or grouped.end() < m.end():
            return None
        s = s[: grouped.end()].replace(",", "").replace("，", "") + s[grouped.end() :]
    try:
        value = _numeral(s)
    except (InvalidOperation, KeyError):
        return None
    return None if value is None else sign * value


def parse_number(text: str) -> int | float | None:
    """The value of one written number, or None if ``text`` is not exactly a number.

    Reads Arabic numbers with thousands separators and decimals (1,500, 2443.33),
    full-width digits, Chinese numerals (十六, 一千七百七十五, 两千五百, 二〇二三,
    百分之九十九点一二 → 99.12), 万/亿/千/百 multipliers on either (2443.33万 →
    24433300, 1.06 亿 → 106000000) and spaces inside. A trailing % is dropped (the
    number shown is kept). Integral values come back as int.
    """
    value = parse_decimal(text)
    return None if value is None else to_number(value)


# --------------------------------------------------------------------------------------
# Regex parts (all matching runs on fold_width(text))
# --------------------------------------------------------------------------------------

#: Horizontal space allowed inside a figure (1.06 亿元); never a line break.
SP = r"[ \t]*"
#: Arabic number: digits, optionally grouped in threes by commas (1,500 or 1，500: a
#: comma between a number and exactly three digits is a separator), and decimals.
ARABIC = r"(?:[0-9]{1,3}(?:[,，][0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"
#: Digits of Chinese numerals as running text writes them. The financial forms (壹,
#: 陆, 伍 …) are left to ``parse_number``: in news they are mostly other words (陆家嘴,
#: 队伍).
CN_TEXT_DIGITS = "〇○零一二两三四五六七八九"
#: Characters of Chinese numerals in running text (digits, place values, multipliers).
CN_NUM_CHARS = CN_TEXT_DIGITS + "十百千万亿"
#: A Chinese numeral, with an optional 点 fraction (九十九点一二).
CN_NUMBER = rf"[{CN_NUM_CHARS}]+(?:点[{CN_TEXT_DIGITS}]+)?"
#: Magnitude words written after Arabic numbers (2443.33万, 1.5万亿).
MULT = r"(?:万亿|千万|百万|万|亿|千|百)"
_ENDS_IN_MULT = re.compile(rf"{MULT}$")
_ONE = Decimal(1)
#: One number as written; the multiplier is lazy so a unit starting with it (千米) wins.
NUMBER = rf"(?:{ARABIC}(?:{SP}{MULT})??|{CN_NUMBER})"
#: Range separators (36-38℃, 2—3天).
RANGE_SEP = r"(?:[-—–~至到]|——)"
#: Approximation suffix between number and unit (1100余元, 1500多个, 600余万人次).
APPROX_INFIX = r"(?:余|多)"
#: Approximation or bound after the unit (95%以上, 20万左右).
APPROX_POST = r"(?:以上|以下|以内|左右|之多|有余)"

#: Qualifier words right before a number → the change they express (None: a level).
QUALIFIERS: dict[str, str | None] = {
    # levels and totals
    "达": None, "达到": None, "已达": None, "高达": None, "多达": None, "共": None,
    "共计": None, "合计": None, "总计": None, "累计": None, "为": None, "是": None,
    "占": None, "仅": None, "只有": None, "有": None, "共有": None, "已有": None,
    "拥有": None, "现有": None, "仅有": None, "还有": None, "突破": None, "连续": None,
    "平均": None, "人均": None, "月均": None, "年均": None, "新增": None,
    # new levels reached by a change: the number is the level, not the change
    "提高到": None, "提高至": None, "提升到": None, "提升至": None, "增长到": None,
    "增长至": None, "增加到": None, "增加至": None, "增至": None, "升至": None,
    "上升到": None, "上升至": None, "下降到": None, "下降至": None, "降至": None,
    "降到": None, "降低到": None, "降低至": None, "减少到": None, "减少至": None,
    "减至": None, "缩短到": None, "缩短至": None, "压缩到": None, "压缩至": None,
    "扩大到": None, "扩大至": None, "稳定在": None, "保持在": None, "控制在": None,
    "维持在": None,
    # changes
    "增长": "increase", "同比增长": "increase", "环比增长": "increase",
    "增加": "increase", "同比增加": "increase", "增": "increase", "同比增": "increase",
    "净增": "increase", "上升": "increase", "同比上升": "increase", "提高": "increase",
    "提升": "increase", "上涨": "increase", "扩大": "increase",
    "下降": "decrease", "同比下降": "decrease", "环比下降": "decrease",
    "减少": "decrease", "同比减少": "decrease", "降低": "decrease", "压缩": "decrease",
    "缩短": "decrease", "降价": "decrease", "下调": "decrease", "回落": "decrease",
    "缩减": "decrease", "下跌": "decrease", "降": "decrease", "减": "decrease",
    "递增": "increase", "激增": "increase", "锐减": "decrease", "骤降": "decrease",
    # words ending in an approximation character that are not approximations
    "签约": None, "节约": None, "预约": None, "履约": None, "违约": None, "制约": None,
    "最近": None, "附近": None, "靠近": None, "临近": None, "赶超": None,
    # words ending in a change character that are not changes (飞机起降30万架次)
    "起降": None, "升降": None,
}  # fmt: skip

#: Approximation words before a number → which bound the number is.
APPROX_PREFIXES: dict[str, str] = {
    "近": "upper", "将近": "upper", "接近": "upper", "不到": "upper", "不足": "upper",
    "约": "none", "大约": "none", "超": "lower", "超过": "lower", "逾": "lower",
}  # fmt: skip
#: Approximation words after a number or unit → which bound the number is.
APPROX_SUFFIXES: dict[str, str] = {
    "余": "lower", "多": "lower", "以上": "lower", "之多": "lower", "有余": "lower",
    "以下": "upper", "以内": "upper", "左右": "none",
}  # fmt: skip


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation of ``words``, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


#: What may stand right before a number: a qualifier, an approximation word, or both.
_BEFORE = re.compile(
    rf"(?P<verb>{_alternation(QUALIFIERS)})?{SP}"
    rf"(?P<approx>{_alternation(APPROX_PREFIXES)})?{SP}$"
)
#: How far back ``_BEFORE`` looks.
_BEFORE_WINDOW = 8
#: The words ``_BEFORE`` reads.
_BEFORE_WORDS = (*QUALIFIERS, *APPROX_PREFIXES)

#: A number with its unit: 2443.33万人, 36-38℃, 600余万人次, 3万余人, 1.06 亿元,
#: 95%以上.
_QUANTITY = re.compile(
    rf"(?<![0-9A-Za-z.])"
    rf"(?P<num>{NUMBER})"
    rf"(?:{SP}(?P<pct1>%)?{SP}(?P<sep>{RANGE_SEP}){SP}(?P<num2>{NUMBER}))?"
    rf"(?:{SP}(?P<infix>{APPROX_INFIX}))?"
    rf"(?:{SP}(?P<mult>{MULT}))??"
    rf"{SP}(?P<unit>{unit_pattern()})"
    rf"(?:{SP}(?P<post>{APPROX_POST}))?"
)
#: Percentages in words: 百分之九十九点一二, 千分之三.
_PERCENT_WORDS = re.compile(
    rf"(?P<pfx>百分之|千分之)(?P<num>{ARABIC}|{CN_NUMBER})"
    rf"(?:{SP}(?P<post>{APPROX_POST}))?"
)
#: Rank verbs: words that make 第N a position in a ranking, not an ordinal in a name.
RANK_VERBS = (
    "排名", "排在", "排行", "排位", "位居", "位列", "名列", "居于", "稳居", "跃居",
    "位于",
)  # fmt: skip
#: A rank: 全国排名第五位, 排名第5, 两项指标均排名全省第一.
_RANK = re.compile(
    rf"(?P<verb>{'|'.join(RANK_VERBS)})"
    rf"(?P<scope>[^\s,，。;；:：、()（）“”第]{{0,8}}?)"
    rf"第{SP}(?P<num>{ARABIC}|[{CN_TEXT_DIGITS}十百]+)(?:位|名)?"
    rf"(?![{CN_NUM_CHARS}0-9批次届期轮个项年月日号])"
)
#: 连续第十年: the Nth consecutive year (or time) counts N of them.
_CONSECUTIVE = re.compile(
    rf"连续第{SP}(?P<num>{ARABIC}|[{CN_TEXT_DIGITS}十百]+){SP}(?P<unit>年|次|届)"
)
#: A figure without a unit, only after a level word and before punctuation (指数为3.72,
#: 达20万左右); only decimals or 万/亿 figures, which cannot be years or list numbers.
_BARE = re.compile(
    rf"(?:为|达|达到|约为|高达|保持在|稳定在){SP}"
    rf"(?P<num>{ARABIC})(?:{SP}(?P<mult>万亿|亿|万))?"
    rf"(?:{SP}(?P<post>左右|以上|以下|之多))?"
    rf"(?={SP}(?:[,，。;；、)）]|$))"
)
#: Session names, not counts: 十六届五次全会, 十三届全国人大二次会议, 二十届三中全会.
_SESSION = re.compile(
    rf"[{CN_NUM_CHARS}0-9]+届[^,，。;；]{{0,10}}?[{CN_NUM_CHARS}0-9]+(?:次|中)"
    r"(?:全体)?(?:会议|全会|会)"
)
#: Titles of documents: numbers inside 《…》 are part of a name.
_TITLE = re.compile(r"《[^《》]{1,100}》")
#: An opening quote right before a number: “三支一扶”, “十分钟服务圈” are names.
_OPEN_QUOTES = frozenset("“‘「『《〈\"'")
#: Words after which a number is an ordinal or a code, not a figure.
_ORDINAL_BEFORE = frozenset("第")
#: 90年代 (a decade), not 90 years.
_YEAR_FOLLOWERS = frozenset("代度")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure found in a sentence; ``start``/``end`` index the sentence given.

    ``value`` is normalised (万/亿 folded in, money in 元, a percentage as shown);
    for a range it is the upper end, as annotators record 36-38℃ as 38. ``low`` and
    ``high`` are the bounds the text states (both ``value`` for an exact figure, None
    when open: 1100余元 has low 1100 and no high). ``qualifier`` is the word(s) right
    before the number from ``QUALIFIERS``/``APPROX_PREFIXES`` (达, 同比增长, 减少近);
    ``change`` is 'increase' or 'decrease' when the number is a change, not a level.
    """

    start: int
    end: int
    text: str
    value: int | float
    unit: str | None
    unit_kind: str | None
    approx: str | None = None  # 余, 近, 以上, 左右 …; several joined by "…" (近…余)
    low: int | float | None = None
    high: int | float | None = None
    qualifier: str | None = None
    change: str | None = None
    currency: str | None = None  # ISO 4217 for money
    surface_unit: str | None = None  # the unit as written (万元, 名, 万人次)


def _bounds(value: Decimal, approx: list[str], low: Decimal | None = None) -> tuple[
    Decimal | None, Decimal | None
]:
    lo: Decimal | None = value if low is None else low
    hi: Decimal | None = value
    for word in approx:
        bound = APPROX_PREFIXES.get(word) or APPROX_SUFFIXES.get(word)
        if bound in ("lower", "none"):
            hi = None
        if bound in ("upper", "none"):
            lo = None
    return lo, hi


def _opt(value: Decimal | None) -> int | float | None:
    return None if value is None else to_number(value)


def _before(text: str, start: int) -> tuple[str | None, str | None, str | None]:
    """(qualifier, approximation word, change) from the words right before ``start``."""
    window = text[max(0, start - _BEFORE_WINDOW) : start]
    # a match with a word has it at the window's end (spaces aside, and a final line
    # break, before which $ matches): most windows end in no such word, no search
    if not window.removesuffix("\n").rstrip(" \t").endswith(_BEFORE_WORDS):
        return None, None, None
    m = _BEFORE.search(window)
    if not m or not (m.group("verb") or m.group("approx")):
        return None, None, None
    verb, approx = m.group("verb"), m.group("approx")
    qualifier = "".join(p for p in (verb, approx) if p)
    return qualifier, approx, QUALIFIERS.get(verb) if verb else None


def _prev_char(text: str, i: int) -> str:
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return text[i - 1] if i > 0 else ""


def _is_cn(num: str) -> bool:
    return not any(c.isdigit() for c in num)


def _year_like(num: str) -> bool:
    """2023, 二〇二三: a number that reads as a calendar year before 年."""
    if num.isdigit() and len(num) == 4:
        return 1000 <= int(num) <= 2999
    return len(num) == 4 and all(c in CN_DIGITS for c in num)


def _cn_refused(num: str, value: Decimal, unit: Unit, text: str, end: int) -> bool:
    """Chinese numerals that are words rather than figures (be conservative)."""
    if unit.arabic_only:
        return True  # 十分重要, 二期工程
    if value < 2 and not any(c in num for c in "万萬亿億"):
        return True  # 一个问题, 一站式
    if set(num) <= _MAGNITUDE_ONLY and unit.kind not in MEASURE_KINDS:
        return True  # 千家万户, 万家灯火; 万亩 stays
    return end < len(text) and text[end] in CN_NUM_CHARS  # 一户一策, 三支一扶


def _from_match(text: str, m: re.Match[str]) -> Quantity | None:
    num, num2, unit_text, pct1, mult, infix, post = m.group(
        "num", "num2", "unit", "pct1", "mult", "infix", "post"
    )
    unit = lookup_unit(unit_text)
    if unit is None:
        return None
    start, end = m.start(), m.end()
    prev = _prev_char(text, start)
    if prev in _ORDINAL_BEFORE or prev in _OPEN_QUOTES:
        return None
    if pct1 and unit.surface != "%":
        return None
    value = parse_decimal(num)
    low = parse_decimal(num2) if num2 else None
    if value is None or (num2 and low is None):
        return None
    if low is not None:
        value, low = low, value  # the range's upper end is the value
    scale = parse_decimal(mult) if mult else _ONE
    if scale is None:
        return None
    if unit.kind == "time" and unit.canonical == "年":
        decade = end < len(text) and text[end] in _YEAR_FOLLOWERS
        if decade or _year_like(num.replace(" ", "")):
            return None  # 2023年, 2018—2020年 are dates; 90年代 is a decade
    if unit.kind == "percent" and mult:
        return None  # 3万% is not a percentage anyone writes
    if _is_cn(num) and _cn_refused(num.replace(" ", ""), value, unit, text, end):
        return None
    approx = [w for w in (infix, post) if w]
    qualifier, approx_before, change = _before(text, start)
    if approx_before:
        approx.insert(0, approx_before)
    factor = scale * unit.multiplier
    if low is not None and _ENDS_IN_MULT.search(num):
        # 3万-5万元: the first number has its own magnitude, so only the rest applies
        magnitude = unit.multiplier if unit.surface[0] in "万亿千百" else Decimal(1)
        low *= factor / (scale * magnitude)
    elif low is not None:
        low *= factor  # 3-5万元: the magnitude applies to both ends
    total = value * factor
    if low is not None and low > total:
        return None
    lo, hi = _bounds(total, approx, low)
    return Quantity(
        start=start,
        end=end,
        text=text[start:end],
        value=to_number(total),
        unit=unit.canonical,
        unit_kind=unit.kind,
        approx="…".join(approx) or None,
        low=_opt(lo),
        high=_opt(hi),
        qualifier=qualifier,
        change=change,
        currency=unit.currency,
        surface_unit=(mult or "") + unit_text,
    )


def _from_percent_words(text: str, m: re.Match[str]) -> Quantity | None:
    value = parse_decimal(m.group("num"))
    if value is None or _prev_char(text, m.start()) in _OPEN_QUOTES:
        return None
    unit = lookup_unit("%" if m.group("pfx") == "百分之" else "‰")
    assert unit is not None
    approx = [m.group("post")] if m.group("post") else []
    qualifier, approx_before, change = _before(text, m.start())
    if approx_before:
        approx.insert(0, approx_before)
    lo, hi = _bounds(value, approx)
    return Quantity(
        m.start(), m.end(), m.group(), to_number(value), unit.canonical, unit.kind,
        "…".join(approx) or None, _opt(lo), _opt(hi), qualifier, change, None,
        m.group("pfx"),
    )  # fmt: skip


def _from_rank(m: re.Match[str]) -> Quantity | None:
    value = parse_decimal(m.group("num"))
    if value is None or value < 1 or value != value.to_integral_value():
        return None
    n = to_number(value)
    return Quantity(
        m.start(), m.end(), m.group(), n, RANK_UNIT, "rank", None, n, n,
        m.group("verb"), None, None, None,
    )  # fmt: skip


def _from_consecutive(m: re.Match[str]) -> Quantity | None:
    value = parse_decimal(m.group("num"))
    unit = lookup_unit(m.group("unit"))
    if value is None or unit is None or value < 2:
        return None
    n = to_number(value)
    return Quantity(
        m.start(), m.end(), m.group(), n, unit.canonical, unit.kind, None, n, n, "连续",
        None, None, unit.surface,
    )  # fmt: skip


def _from_bare(text: str, m: re.Match[str]) -> Quantity | None:
    num, mult = m.group("num"), m.group("mult")
    if "." not in num and not mult:
        return None
    value = parse_decimal(num + (mult or ""))
    if value is None:
        return None
    start = m.start("num")
    approx = [m.group("post")] if m.group("post") else []
    qualifier, approx_before, change = _before(text, start)
    if approx_before:
        approx.insert(0, approx_before)
    lo, hi = _bounds(value, approx)
    return Quantity(
        start, m.end(), text[start : m.end()], to_number(value), None, None,
        "…".join(approx) or None, _opt(lo), _opt(hi), qualifier, change, None, None,
    )  # fmt: skip


class _Spans:
    """Sorted, non-overlapping character spans with a fast overlap test."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        self.starts = [s for s, _ in merged]
        self.spans = merged

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)  # spans starting before ``end``
        return i > 0 and self.spans[i - 1][1] > start


#: A character every figure has: an Arabic digit (full-width ones fold to it) or a
#: Chinese numeral; a text without one has none (most sentences: no scan at all).
_NUMERAL = re.compile(f"[0-9０-９{CN_NUM_CHARS}]")
#: What every match of a pattern (by its source: hashing a compiled pattern hashes
#: its code) contains: a (folded) text without it is not scanned.
_NEEDED = {
    p.pattern: re.compile(needed) for p, needed in (
        (_SESSION, "届"), (_TITLE, "《"), (_RANK, "第"), (_CONSECUTIVE, "连续第"),
        (_PERCENT_WORDS, "分之"), (_BARE, "[0-9]"),
    )
}  # fmt: skip


def _scan(pattern: re.Pattern[str], text: str) -> Iterable[re.Match[str]]:
    """``pattern.finditer(text)``, skipped when ``text`` lacks what it needs."""
    return pattern.finditer(text) if _NEEDED[pattern.pattern].search(text) else ()


def find_quantities(
    text: str, periods: Callable[[], list[tuple[int, int, str]]] | None = None
) -> list[Quantity]:
    """Every figure in ``text`` (a sentence or longer), in order of position.

    Finds number+unit expressions (unit forms from units.tsv), 百分之 percentages,
    ranks (排名第五位 → 5 名次), 连续第N年, and unit-less decimals or 万/亿 figures
    right after a level word (指数为3.72). Refuses dates and periods, ordinals
    (第七批), numbers opening a quotation or inside 《》, session names
    (十六届五次全会), years before 年, and Chinese numerals that are words: below 2
    without 万/亿 (一个), bare 千/万 before a count classifier (千家万户), before an
    arabic_only unit (十分), or followed by another numeral (一户一策). Offsets index
    ``text`` as given. ``periods``, if given, returns ``find_periods(text)`` (for a
    caller that keeps them): it is called only when there is a figure to check.
    """
    from kg.figures.periods import find_periods  # periods imports this module

    if not _NUMERAL.search(text):
        return []
    folded = fold_width(text)
    found: list[Quantity] = []
    for m in _scan(_RANK, folded):
        q = _from_rank(m)
        if q:
            found.append(q)
    for m in _scan(_CONSECUTIVE, folded):
        q = _from_consecutive(m)
        if q:
            found.append(q)
    for m in _scan(_PERCENT_WORDS, folded):
        q = _from_percent_words(folded, m)
        if q:
            found.append(q)
    for m in _QUANTITY.finditer(folded):
        q = _from_match(folded, m)
        if q:
            found.append(q)
    for m in _scan(_BARE, folded):
        q = _from_bare(folded, m)
        if q:
            found.append(q)

    if not found:
        return []
    blocked = [(s, e) for s, e, _ in (find_periods(folded) if periods is None
                                      else periods())]
    blocked += [m.span() for m in _scan(_SESSION, folded)]
    refused = _Spans(blocked)
    titles = _Spans([m.span() for m in _scan(_TITLE, folded)])
    found.sort(key=lambda q: (q.start, -(q.end - q.start)))
    result: list[Quantity] = []
    last_end = -1
    for q in found:
        if q.start < last_end or refused.overlaps(q.start, q.end):
            continue
        if titles.overlaps(q.start, q.end):
            continue
        if text[q.start : q.end] != q.text:  # folding changed a character
            q = replace(q, text=text[q.start : q.end])
        result.append(q)
        last_end = q.end
    return result

