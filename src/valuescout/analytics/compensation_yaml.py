"""Compensation plans as YAML: parse and check a plan, and a quota CSV (problems by line).

The plan file (see examples/comp-plans/ and the semantics in `compensation`):

    name: Gross margin                       required
    description: ...                         optional
    revenue_commission: {rate: 0.08, basis: invoice}   basis: invoice | pocket
    margin_commission: {rate: 20%}           on pocket margin
    discount_multiplier:                     per deal, by its discount rate, ascending
      - {up_to: 0.10, multiplier: 1.1}       rates <= 10%
      - {up_to: 0.20, multiplier: 1.0}
      - {multiplier: 0.7}                    the last tier is open: every deeper discount
    quota:
      measure: invoice_revenue               invoice_revenue | pocket_revenue | pocket_margin
      default: 1000000                       and/or per seller:
      sellers: {R1: 1500000}
      accelerators:                          marginal: the part above 100% of quota x1.5
        - {above: 1.0, multiplier: 1.5}
    cap: 200000                              at most per seller (optional)
    floor: 0                                 at least per seller (default 0)

A plan pays revenue commission, margin commission or both. Rates are fractions (0.08) or
percentages ("8%"), at most 1. Tier multipliers must not rise as the discount deepens (a plan
that pays more for a deeper discount is refused: usually tiers in the wrong order). Every
problem is reported with its line, all at once.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from valuescout.analytics.compensation import (
    ONE,
    ZERO,
    Accelerator,
    Plan,
    Quota,
    QuotaMeasure,
    RevenueBasis,
    Tier,
)
from valuescout.analytics.keyed_csv import KeyedColumns, read_keyed
from valuescout.core.yamlnodes import LinedProblems, NodeParser, YamlSyntax, compose, line_of

MAX_SOURCE_CHARS = 100_000
MAX_TIERS = 50


class PlanError(LinedProblems):
    """An invalid plan (or quota file): every problem with its line (1-based)."""

    def __init__(self, problems: list[tuple[int, str]], source: str = "plan") -> None:
        super().__init__(problems, source)


def parse_plan(source: str, name: str = "plan") -> Plan:
    """A plan from its YAML text, or PlanError naming every problem and its line."""
    if len(source) > MAX_SOURCE_CHARS:
        raise PlanError([(1, f"the plan is longer than {MAX_SOURCE_CHARS:,} characters")], name)
    try:
        root = compose(source)
    except YamlSyntax as exc:
        raise PlanError([(exc.line, exc.problem)], name) from None
    parser = _Parser()
    plan = parser.plan(root)
    if parser.problems or plan is None:
        raise PlanError(parser.problems, name)
    return plan


QUOTA_COLUMNS = KeyedColumns("quota file", ("seller", "rep_id"), "quota", "a number above 0")


def parse_quotas(text: str, name: str = "quotas") -> dict[str, Decimal]:
    """A quota file: CSV with a header naming `seller` (or `rep_id`) and `quota` columns."""
    out, problems = read_keyed(text, QUOTA_COLUMNS, _quota)
    if problems:
        raise PlanError(problems, name)
    return out


def _quota(raw: str) -> Decimal | None:
    value = _number(raw.replace(",", ""))
    return value if value is not None and value > 0 else None


def _number(raw: str) -> Decimal | None:
    text = raw.strip().replace("_", "")
    percent = text.endswith("%")
    try:
        value = Decimal(text[:-1] if percent else text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return value / 100 if percent else value


_TOP = {
    "name",
    "description",
    "revenue_commission",
    "margin_commission",
    "discount_multiplier",
    "quota",
    "cap",
    "floor",
}


class _Parser(NodeParser):
    def number(
        self, node: Node, what: str, *, low: Decimal = ZERO, strict: bool = False
    ) -> Decimal | None:
        raw = str(node.value) if isinstance(node, ScalarNode) else ""
        value = _number(raw) if isinstance(node, ScalarNode) else None
        if value is None:
            self.fail(node, f"`{what}` must be a number (0.08 or 8%), not {raw or 'a list'!r}")
            return None
        if value < low or (strict and value == low):
            self.fail(node, f"`{what}` must be {'above' if strict else 'at least'} {low}: {raw}")
            return None
        return value

    def rate(self, node: Node, what: str) -> Decimal | None:
        value = self.number(node, what)
        if value is not None and value > 1:
            self.fail(node, f"`{what}` is a fraction of at most 1 (8% is 0.08), not {value}")
            return None
        return value

    def text(self, node: Node, what: str, limit: int) -> str:
        if not isinstance(node, ScalarNode) or not str(node.value).strip():
            self.fail(node, f"`{what}` must be a non-empty text")
            return ""
        value = str(node.value).strip()
        if len(value) > limit:
            self.fail(node, f"`{what}` is longer than {limit} characters")
        return value

    def plan(self, root: Node | None) -> Plan | None:
        if not isinstance(root, MappingNode):
            where = 1 if root is None else line_of(root)
            self.problems.append((where, "the plan must be a mapping with `name` and commissions"))
            return None
        top = self.mapping(root, _TOP, "the plan")
        name = self.text(top["name"], "name", 200) if "name" in top else ""
        if "name" not in top:
            self.fail(root, "`name` is missing: give the plan a name")
        description = (
            self.text(top["description"], "description", 2000) if "description" in top else ""
        )
        revenue_rate, basis = ZERO, RevenueBasis.INVOICE
        if "revenue_commission" in top:
            revenue_rate, basis = self.revenue(top["revenue_commission"])
        margin_rate = ZERO
        if "margin_commission" in top:
            parts = self.mapping(top["margin_commission"], {"rate"}, "`margin_commission`")
            if "rate" in parts:
                margin_rate = self.rate(parts["rate"], "margin_commission.rate") or ZERO
            elif isinstance(top["margin_commission"], MappingNode):
                self.fail(top["margin_commission"], "`margin_commission` needs a `rate`")
        if "revenue_commission" not in top and "margin_commission" not in top:
            self.fail(root, "a plan pays `revenue_commission`, `margin_commission` or both")
        tiers = self.tiers(top["discount_multiplier"]) if "discount_multiplier" in top else ()
        quota = self.quota(top["quota"]) if "quota" in top else None
        cap = self.number(top["cap"], "cap", strict=True) if "cap" in top else None
        floor = (self.number(top["floor"], "floor") or ZERO) if "floor" in top else ZERO
        if cap is not None and cap < floor:
            self.fail(top["cap"], f"`cap` {cap} is below `floor` {floor}")
        return Plan(
            name=name,
            revenue_rate=revenue_rate,
            revenue_basis=basis,
            margin_rate=margin_rate,
            tiers=tiers,
            quota=quota,
            cap=cap,
            floor=floor,
            description=description,
        )

    def revenue(self, node: Node) -> tuple[Decimal, RevenueBasis]:
        parts = self.mapping(node, {"rate", "basis"}, "`revenue_commission`")
        rate = ZERO
        if "rate" in parts:
            rate = self.rate(parts["rate"], "revenue_commission.rate") or ZERO
        elif isinstance(node, MappingNode):
            self.fail(node, "`revenue_commission` needs a `rate`")
        basis = RevenueBasis.INVOICE
        if "basis" in parts:
            raw = getattr(parts["basis"], "value", None)
            try:
                basis = RevenueBasis(str(raw))
            except ValueError:
                self.fail(parts["basis"], f"`basis` is invoice or pocket, not {raw!r}")
        return rate, basis

    def tiers(self, node: Node) -> tuple[Tier, ...]:
        if not isinstance(node, SequenceNode) or not node.value:
            self.fail(node, "`discount_multiplier` must be a list of tiers {up_to, multiplier}")
            return ()
        if len(node.value) > MAX_TIERS:
            self.fail(node, f"at most {MAX_TIERS} discount tiers")
            return ()
        out: list[Tier] = []
        last = len(node.value) - 1
        for i, item in enumerate(node.value):
            parts = self.mapping(item, {"up_to", "multiplier"}, "a discount tier")
            if not isinstance(item, MappingNode):
                continue
            up_to = None
            if "up_to" in parts:
                up_to = self.number(parts["up_to"], "up_to", low=Decimal(-10))
                if (
                    up_to is not None
                    and out
                    and out[-1].up_to is not None
                    and up_to <= out[-1].up_to
                ):
                    self.fail(parts["up_to"], f"`up_to` {up_to} must be above the previous tier's")
                if i == last:
                    self.fail(item, "the last tier has no `up_to`: it holds every deeper discount")
            elif i != last:
                self.fail(item, "only the last tier may leave out `up_to`")
            multiplier = None
            if "multiplier" in parts:
                multiplier = self.number(parts["multiplier"], "multiplier")
                lowest = min((t.multiplier for t in out), default=None)
                if multiplier is not None and lowest is not None and multiplier > lowest:
                    self.fail(
                        parts["multiplier"],
                        f"`multiplier` {multiplier} is above a shallower tier's {lowest}: "
                        "a deeper discount must not pay more",
                    )
            else:
                self.fail(item, "a discount tier needs a `multiplier`")
            out.append(Tier(up_to, multiplier if multiplier is not None else ONE))
        return tuple(out)

    def quota(self, node: Node) -> Quota | None:
        parts = self.mapping(node, {"measure", "default", "sellers", "accelerators"}, "`quota`")
        if not isinstance(node, MappingNode):
            return None
        measure = QuotaMeasure.INVOICE_REVENUE
        if "measure" in parts:
            raw = getattr(parts["measure"], "value", None)
            try:
                measure = QuotaMeasure(str(raw))
            except ValueError:
                known = ", ".join(m.value for m in QuotaMeasure)
                self.fail(parts["measure"], f"`measure` is one of {known}, not {raw!r}")
        default = None
        if "default" in parts:
            default = self.number(parts["default"], "quota.default", strict=True)
        sellers: dict[str, Decimal] = {}
        if "sellers" in parts:
            given = parts["sellers"]
            if not isinstance(given, MappingNode):
                self.fail(given, "`sellers` maps a seller id to their quota")
            for key_node, value_node in (
                getattr(given, "value", []) if isinstance(given, MappingNode) else []
            ):
                seller = str(getattr(key_node, "value", "")).strip()
                value = self.number(value_node, f"quota of {seller}", strict=True)
                if seller in sellers:
                    self.fail(key_node, f"seller {seller!r} is given twice")
                elif value is not None:
                    sellers[seller] = value
        accelerators: list[Accelerator] = []
        steps = parts.get("accelerators")
        if steps is not None and (not isinstance(steps, SequenceNode) or not steps.value):
            self.fail(steps, "`accelerators` must be a list of {above, multiplier}")
        elif steps is not None:
            for item in steps.value:
                step = self.mapping(item, {"above", "multiplier"}, "an accelerator")
                if not isinstance(item, MappingNode):
                    continue
                if "above" not in step or "multiplier" not in step:
                    self.fail(
                        item,
                        "an accelerator needs `above` (attainment, 1.0 = 100%) and `multiplier`",
                    )
                    continue
                above = self.number(step["above"], "above", strict=True)
                mult = self.number(step["multiplier"], "multiplier")
                if above is None or mult is None:
                    continue
                if accelerators and above <= accelerators[-1].above:
                    self.fail(step["above"], f"`above` {above} must be above the previous step's")
                    continue
                accelerators.append(Accelerator(above, mult))
        if default is None and not sellers and "default" not in parts:
            self.fail(node, "`quota` needs a `default` or per-seller `sellers` quotas")
        return Quota(measure, default, sellers, tuple(accelerators))
