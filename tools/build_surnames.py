"""Build kg/resources/surnames.txt from the 百家姓 and the CLUENER2020 person names.

Why a generator: the surname list decides which two-to-four-character strings the person
rules may treat as names, so it must be reproducible and its provenance recorded.

Sources
  (a) 百家姓 (Song dynasty, public domain), written out below in simplified characters
      (the header of the output records how many single and compound surnames it has).
  (b) /work/shared/data/cluener/train.jsonl (CLUENER2020 train split; see its README):
      first characters of the 2–3-character ``name`` entities, counted once per distinct
      name (a person mentioned in many sentences counts once), kept when the character
      is a 百家姓 surname or starts >= MIN_COUNT distinct names (minus NOT_SURNAMES).
  (c) MODERN_SUPPLEMENT: a short hand list of common surnames missing from (a).

Usage:  .venv/bin/python tools/build_surnames.py [--cluener PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

# The 百家姓 text, four surnames a group as recited (鬱 is printed as 郁 in simplified
# editions, which makes it a duplicate of 郁 in 郁单杭洪; 卻 is printed 却).
BAIJIAXING = """
赵钱孙李 周吴郑王 冯陈褚卫 蒋沈韩杨 朱秦尤许 何吕施张 孔曹严华 金魏陶姜
戚谢邹喻 柏水窦章 云苏潘葛 奚范彭郎 鲁韦昌马 苗凤花方 俞任袁柳 酆鲍史唐
费廉岑薛 雷贺倪汤 滕殷罗毕 郝邬安常 乐于时傅 皮卞齐康 伍余元卜 顾孟平黄
和穆萧尹 姚邵湛汪 祁毛禹狄 米贝明臧 计伏成戴 谈宋茅庞 熊纪舒屈 项祝董梁
杜阮蓝闵 席季麻强 贾路娄危 江童颜郭 梅盛林刁 钟徐邱骆 高夏蔡田 樊胡凌霍
虞万支柯 昝管卢莫 经房裘缪 干解应宗 丁宣贲邓 郁单杭洪 包诸左石 崔吉钮龚
程嵇邢滑 裴陆荣翁 荀羊於惠 甄曲家封 芮羿储靳 汲邴糜松 井段富巫 乌焦巴弓
牧隗山谷 车侯宓蓬 全郗班仰 秋仲伊宫 宁仇栾暴 甘钭厉戎 祖武符刘 景詹束龙
叶幸司韶 郜黎蓟薄 印宿白怀 蒲邰从鄂 索咸籍赖 卓蔺屠蒙 池乔阴郁 胥能苍双
闻莘党翟 谭贡劳逄 姬申扶堵 冉宰郦雍 却璩桑桂 濮牛寿通 边扈燕冀 郏浦尚农
温别庄晏 柴瞿阎充 慕连茹习 宦艾鱼容 向古易慎 戈廖庾终 暨居衡步 都耿满弘
匡国文寇 广禄阙东 欧殳沃利 蔚越夔隆 师巩厍聂 晁勾敖融 冷訾辛阚 那简饶空
曾毋沙乜 养鞠须丰 巢关蒯相 查后荆红 游竺权逯 盖益桓公
万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳
淳于 单于 太叔 申屠 公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空
亓官 司寇 仉督 子车 颛孙 端木 巫马 公西 漆雕 乐正 壤驷 公良 拓跋 夹谷 宰父 谷梁
晋楚闫法 汝鄢涂钦 段干 百里 东郭 南门 呼延 归海 羊舌 微生 岳帅缑亢 况郈有琴
梁丘 左丘 东门 西门 商牟佘佴 伯赏 南宫 墨哈谯笪 年爱阳佟 第五 言福
"""

# Compound surnames in the text above (two characters each), so the groups can be split.
COMPOUND = frozenset("""
万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳
淳于 单于 太叔 申屠 公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空
亓官 司寇 仉督 子车 颛孙 端木 巫马 公西 漆雕 乐正 壤驷 公良 拓跋 夹谷 宰父 谷梁
段干 百里 东郭 南门 呼延 归海 羊舌 微生 梁丘 左丘 东门 西门 伯赏 南宫 第五
""".split())

MIN_COUNT = 3
HAN = re.compile(r"^[\u4e00-\u9fff]+$")

# First characters that reach MIN_COUNT in CLUENER but are not Chinese surnames there:
# syllables of transliterated foreign names (卡卡, 萨科齐, 克洛泽 …) and given-name or
# nickname openings of names written without a surname (小S, 晓明, 大S, 杰伦 …).
# Reviewed by hand against the CLUENER names; kept out on purpose.
NOT_SURNAMES = frozenset(
    "小大晓杰嘉凯卡萨希拉克阿布托迪科斯德"
    "埃里弗格奥佩特洛博亚多比达基迈维尼普"
)

# (c) Common modern surnames absent from the 百家姓 (later or variant forms such as
# 付/傅, 肖/萧, and Hui surnames frequent in Gansu, Qinghai, Ningxia news), by hand.
MODERN_SUPPLEMENT = "付肖覃兰苟代仝揭冼邸谌粟练银门才买喇撒敏雒虎妥冶豆庹邝禤"

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CLUENER = Path("/work/shared/data/cluener/train.jsonl")
DEFAULT_OUT = REPO / "kg" / "resources" / "surnames.txt"


def baijiaxing() -> tuple[list[str], list[str]]:
    """Single and compound surnames of the 百家姓, in recitation order, deduplicated."""
    singles: list[str] = []
    compounds: list[str] = []
    for group in BAIJIAXING.split():
        if group in COMPOUND:
            if group not in compounds:
                compounds.append(group)
            continue
        for ch in group:
            if ch not in singles:
                singles.append(ch)
    return singles, compounds


def cluener_first_chars(path: Path) -> tuple[Counter[str], int]:
    """Distinct 2-3-character Han names per first character, and their total."""
    names: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            for surface in json.loads(line).get("label", {}).get("name", {}):
                if 2 <= len(surface) <= 3 and HAN.match(surface):
                    names.add(surface)
    return Counter(name[0] for name in names), len(names)


def build(cluener: Path) -> tuple[list[str], dict[str, int]]:
    """The surname list (compound, then single by CLUENER frequency), with counts."""
    singles, compounds = baijiaxing()
    firsts, n_names = cluener_first_chars(cluener)
    bjx = set(singles)
    extra = sorted(
        (ch for ch, n in firsts.items()
         if n >= MIN_COUNT and ch not in bjx and ch not in NOT_SURNAMES),
        key=lambda ch: (-firsts[ch], ch),
    )
    supplement = [ch for ch in dict.fromkeys(MODERN_SUPPLEMENT)
                  if ch not in bjx and ch not in extra]
    seen_in_bjx = sum(1 for ch in singles if firsts.get(ch))
    rank = {ch: i for i, ch in enumerate(singles)}
    ordered_singles = sorted(singles, key=lambda ch: (-firsts.get(ch, 0), rank[ch]))
    counts = {
        "baijiaxing_single": len(singles),
        "baijiaxing_compound": len(compounds),
        "cluener_names": n_names,
        "cluener_first_chars": len(firsts),
        "cluener_first_chars_in_baijiaxing": seen_in_bjx,
        "cluener_extra": len(extra),
        "supplement": len(supplement),
        "total": len(compounds) + len(singles) + len(extra) + len(supplement),
    }
    return compounds + ordered_singles + extra + supplement, counts


def render(entries: list[str], counts: dict[str, int]) -> str:
    """The file text: a provenance header with the counts, then one surname per line."""
    n_single = counts["baijiaxing_compound"] + counts["baijiaxing_single"]
    extra = entries[n_single:n_single + counts["cluener_extra"]]
    supplement = entries[n_single + counts["cluener_extra"]:]
    header = [
        "# Chinese surnames, one per line: compound surnames first, then single ones",
        "# (百家姓 singles ordered by how many CLUENER names start with them).",
        "# GENERATED by tools/build_surnames.py; edit the script, not this file.",
        "# Sources: (a) 百家姓 (public domain), modern simplified edition:"
        f" {counts['baijiaxing_single']} single + {counts['baijiaxing_compound']} compound;",
        "#   (b) CLUENER2020 train split (/work/shared/data/cluener/train.jsonl, no licence"
        " file; used for counts only):",
        f"#   {counts['cluener_names']} distinct 2-3-character Han person names with"
        f" {counts['cluener_first_chars']} distinct first characters,",
        f"#   {counts['cluener_first_chars_in_baijiaxing']} of them 百家姓 singles;"
        f" {counts['cluener_extra']} more kept because they start >= {MIN_COUNT}"
        " distinct names: " + "".join(extra) + ".",
        "#   Reviewed and excluded (transliteration syllables, given-name openings): "
        + "".join(sorted(NOT_SURNAMES)) + ".",
        f"#   (c) {counts['supplement']} hand-added common modern surnames absent from the"
        " 百家姓: " + "".join(supplement) + ".",
        f"# Total entries: {counts['total']}.",
        "# Caveat: many single surnames are also common words (和, 于, 万, 高 …);",
        "# callers must combine this list with context (titles, bylines,",
        "# person_stopwords.txt).",
    ]
    return "\n".join(header + entries) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluener", type=Path, default=DEFAULT_CLUENER)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    entries, counts = build(args.cluener)
    args.out.write_text(render(entries, counts), encoding="utf-8")
    print(f"wrote {args.out}: {counts}")


if __name__ == "__main__":
    main()
