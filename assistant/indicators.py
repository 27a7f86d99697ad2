"""Which 绩效指标 of a project's 绩效目标表 a question asks: its clauses, each matched to the
indicators by shared words, the unit asked (几家 / 每吨 / 多少钱一套), time and headcount asks."""
from __future__ import annotations

import re

from assistant.lexicon import load_lexicon, norm
from assistant.understand import Understanding

_YEARS = re.compile(r"20\d{2}")


def sub_questions(u: Understanding) -> list[str]:
    return load_lexicon().split("sub_question", u.text)


def chosen_indicators(u: Understanding, indicators: list, skip_amount_asks: bool = False,
                      skip_funds_asks: bool = False) -> list:
    """The indicators the question names (whole), else the best match of each sub-question
    (leaving out, when asked to, the sub-questions that ask the project's amount or its 资金总额)."""
    lex = load_lexicon()
    parts = [c for p in lex.split("sub_question", u.text) for c in _asking_clauses(p)]
    if skip_amount_asks:
        parts = [p for p in parts if not asks_amount_only(p)]
    if skip_funds_asks:
        parts = [p for p in parts if not lex.cue("funds_total", p)]
    # the project's words name it where first said; said again later they name what is asked
    # ("护林员每人每年给多少钱？有几个护林员"): each part keeps the words an earlier part held
    asks: list[tuple[str, str]] = []
    said = False
    for p in parts:
        a = strip_project(p, u, pieces=not said)
        if a and asks and _ELLIPTIC.match(a) and (tail := _asking_tail(asks[-1][0])):
            a = a.rstrip("呢?？") + tail  # "每个站补多少？乡镇站呢": 乡镇站每个站补多少
        if a:
            asks.append((a, p))
        said = said or any(w and w in p for w in (*u.project_pieces, u.project_words))
    named = {norm(i) for i in u.indicators}
    chosen: list = []

    def add(hit) -> None:
        if all((hit.level3, hit.value) != (c.level3, c.value) for c in chosen):
            chosen.append(hit)

    for hit in indicators:
        if norm(hit.level3) in named:
            add(hit)
    for ask, whole in [a for a in asks or [(u.residue, u.text)] if not any(n in a[0] for n in named)]:
        listing = u.has("list") or load_lexicon().pattern("indicator_listing").search(ask) is not None
        for hit in best_indicators(ask, indicators, listing=listing, context=whole):
            add(hit)
    return chosen


_ELLIPTIC = re.compile(r"^(?:那|那么)?[\u4e00-\u9fff（）()]{1,10}呢[?？]?$")


def _asking_tail(ask: str) -> str:
    """What an earlier sub-question asks per item, without what it asked it of ("每个站一年补助多少");
    empty when it asks no rate (its own words then say enough: "特困人员…标准是多少？低保对象呢")."""
    m = re.search(r"每|一(?=[个名位年月天])", ask)
    return ask[m.start():] if m else ""


def _asking_clauses(part: str) -> list[str]:
    """"评估面积多大，报告啥时候编完": a sub-question whose clauses each ask something is that
    many asks (the first clause keeps the words before it); otherwise the sub-question itself."""
    lex = load_lexicon()
    clauses = lex.split("clause", part)
    asking = [c for c in clauses if lex.pattern("question_marker").search(c)]
    if len(asking) < 2 or len(asking) != len(clauses) - (0 if asking[0] == clauses[0] else 1):
        return [part]
    if asking[0] != clauses[0]:
        asking[0] = clauses[0] + "，" + asking[0]
    return asking


def asks_amount_only(part: str) -> bool:
    """A sub-question asking the project's amount and no per-item standard ("安排了多少", not
    "每户补多少", "一个保洁员一年补多少钱")."""
    lex = load_lexicon()
    return bool(lex.pattern("project_amount").search(part)) and not lex.pattern("indicator_per").search(part) \
        and not lex.pattern("indicator_per_person").search(part)


def strip_project(text: str, u: Understanding, pieces: bool = True) -> str:
    """A sub-question without the project's and unit's words (what is left asks the indicator);
    with pieces=False only the whole names go."""
    names = [norm(p) for p in u.projects]
    # a project found by its indicator ("一般登记…" of 一般登记办理时限) keeps those words: they ask it;
    # the name's own words go, in any order (学前资助, 修缮办公用房 of 办公用房修缮)
    said = [w for w in (*u.project_pieces, u.project_words) if w and any(set(w) <= set(n) for n in names)]
    words = [*(said if pieces else []), *names, *u.unit_words]
    for word in sorted(filter(None, words), key=len, reverse=True):
        text = text.replace(word, "")
    return _POINTING.sub("", text).strip()


_POINTING = re.compile(r"(?:那个|这个|该|此|这一)项目")  # points at the project, asks no indicator


GENERIC_PER = ("个", "名", "位")  # 每个/每名 + a noun: per whatever the value's unit counts


TIME_WORDS = ("时间", "时限", "日期", "期限")


COUNT_ASK = re.compile("多少|几")


MONEY_VALUE = re.compile(r"\d\s*万?元$")
MONEY_ASK = re.compile(r"多少钱|多少元|几块钱|几元|多少块|(?:补助?|发|给)多少(?=钱|元|[？?，,。；;]|$)")


def best_indicators(ask: str, indicators: list, listing: bool = False, context: str = "") -> list:
    """The indicators a sub-question asks about: most shared characters pairs with the 三级指标
    (and the 二级指标); a bonus when the asked classifier (几家 / 多少户) or rate (每月, 单价)
    is the value's unit. `listing` (哪两家…各多少) keeps every indicator that shares a pair."""
    if not ask:
        return []
    lex = load_lexicon()
    for said, printed in lex.said_units.items():  # "修多少平米": 6000平方米
        ask = ask.replace(said, printed)
    classifier = lex.pattern("indicator_classifier").search(ask)
    per = lex.pattern("indicator_per").search(ask)
    headcount = lex.pattern("indicator_headcount").search(ask)
    scored = []
    for ind in indicators:
        score = _overlap(ask, ind.level3) * 2 + _overlap(ask, ind.level2 or "") * 0.5
        # words the question shared with the project's name count a little ("垃圾处理费单价")
        score += min(len((bigrams(context) - bigrams(ask)) & bigrams(ind.level3)) * 0.5, 2)
        years = _YEARS.findall(ask)
        if years and any(y in ind.level3 for y in years):
            score += 1
        if classifier and re.search(rf"\d\s*万?{classifier.group(1)}", ind.value):
            score += 3  # "几家" is answered by "3家", not by "每个工作日"
        elif (classifier or (COUNT_ASK.search(ask) and _overlap(ask, ind.level3))) and \
                (ind.level2 or "").startswith("数量"):
            score += 1  # "坐席员几个", "新增多少耕地": a count, not the 时效 or 效益 of the same words
        if headcount and re.search(r"\d\s*[人名位]$", ind.value.strip()):
            score += 3  # "几名/几位/多少人" counts people: the value is in 人 (名, 位)
        elif COUNT_ASK.search(ask) and ind.level3.endswith("人数") and _overlap(ask, ind.level3):
            score += 2  # "养多少个辅警": 保障辅警人数
        if lex.pattern("indicator_per_person").search(ask) and "/人" in ind.value:
            score += 3  # "一个保洁员一年补多少钱": a standard per person
        per_unit = (per.group(1) or per.group(2)) if per else ""
        if per and (re.search(rf"/[^/]*{re.escape(per_unit)}", ind.value)  # 一次: 2元/人次
                    or f"每{per_unit}" in ind.level3  # 一吨: 每吨生活垃圾收运成本 ≤100元
                    or f"{per_unit}均" in ind.level3):  # 人均: 人均培训成本 1500元
            score += 3
        elif per and per_unit in GENERIC_PER and re.search(r"元/", ind.value):
            score += 3  # "每个孩子补多少钱": a standard per anything (400元/人)
        if lex.pattern("indicator_price").search(ask) and "元/" in ind.value:
            score += 2
        if MONEY_ASK.search(ask) and "元" not in ind.value and not headcount:
            score -= 3  # "每人每月多少钱" is no headcount
        timely = any(w in ind.level3 for w in TIME_WORDS) or (ind.level2 or "").startswith("时效")
        if timely and lex.pattern("indicator_time").search(ask):
            score += 3  # "报告啥时候编完": the 时效 indicator
        head = norm(ind.level3)[-2:]
        if len(head) == 2 and head in norm(ask):
            score += 1  # the indicator's head noun (面积, 人数, 标准) is asked
        if "满意" in ask and "满意" in ind.level3:
            score += 1
        if ("标准" in ask or "成本" in ask) and (ind.level2 or "").startswith("成本"):
            score += 1
        if score > 0:
            scored.append((score, ind))
    if listing and lex.pattern("each_amount").search(ask) and (not scored or max(s for s, _ in scored) < 2):
        # "奖给了谁，各多少": the amounts the 成本指标 give, each named by its indicator
        return [ind for ind in indicators
                if (ind.level2 or "").startswith("成本") and MONEY_VALUE.search(ind.value)][:8]
    if not scored:
        return []
    top = max(s for s, _ in scored)
    if top < (2 if listing else 3):
        return []
    if listing:
        return [ind for s, ind in scored if s >= 2][:8]
    return [ind for s, ind in scored if s >= top][:2]


def bigrams(text: str) -> set[str]:
    text = norm(text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _overlap(a: str, b: str) -> int:
    """Shared character bigrams (a cheap, order-aware similarity for short Chinese phrases)."""
    return len(bigrams(a) & bigrams(b))

