"""An answers file for scoring without a database (`valuescout assess maturity --answers`):

    version: 1                 # optional: the content version answered (default: the newest)
    respondents:
      Ana (sales):             # any name
        align-one-lead-definition: 3
        cap-call-planning: null   # don't know (also "?")

Pure. Unknown indicator ids, answers outside the scale and repeated names are refused with the
file's name, the line and the id."""

from __future__ import annotations

from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode

from valuescout.assessments import maturity_content
from valuescout.assessments.maturity_content import Content
from valuescout.core.yamlnodes import LinedProblems, NodeParser, YamlSyntax, compose, line_of

MAX_RESPONDENTS = 500
DONT_KNOW = ("", "~", "null", "?")


class AnswersFileError(LinedProblems):
    """The answers file is refused; every problem with its line."""


@dataclass(frozen=True)
class AnswersFile:
    content: Content
    answers: dict[str, dict[str, int | None]]  # respondent -> indicator id -> answer


def parse(source: str, name: str = "answers file") -> AnswersFile:
    try:
        root = compose(source)
    except YamlSyntax as exc:
        raise AnswersFileError([(exc.line, exc.problem)], name) from None
    parser = _Parser()
    parsed = parser.file(root)
    if parser.problems or parsed is None:
        raise AnswersFileError(parser.problems or [(1, "nothing to score")], name)
    return parsed


class _Parser(NodeParser):
    def file(self, root: Node | None) -> AnswersFile | None:
        if not isinstance(root, MappingNode):
            self.problems.append((1 if root is None else line_of(root), "expected a mapping "
                                  "with `respondents`"))  # fmt: skip
            return None
        top = self.mapping(root, {"version", "respondents"}, "the file")
        content = self.content(top.get("version"))
        people = top.get("respondents")
        if people is None:
            self.fail(root, "`respondents` is missing")
            return None
        if content is None:
            return None
        if not isinstance(people, MappingNode) or not people.value:
            self.fail(people, "`respondents` must map each respondent to their answers")
            return None
        if len(people.value) > MAX_RESPONDENTS:
            self.fail(people, f"at most {MAX_RESPONDENTS} respondents")
            return None
        answers: dict[str, dict[str, int | None]] = {}
        for key, value in people.value:
            who = str(key.value).strip() if isinstance(key, ScalarNode) else ""
            if not who:
                self.fail(key, "a respondent needs a name")
            elif who in answers:
                self.fail(key, f"respondent {who!r} is given twice")
            else:
                answers[who] = self.answers(value, who, content)
        return AnswersFile(content, answers)

    def content(self, node: Node | None) -> Content | None:
        if node is None:
            return maturity_content.load()
        raw = str(node.value) if isinstance(node, ScalarNode) else ""
        shipped = maturity_content.versions()
        if not raw.isdigit() or int(raw) not in shipped:
            self.fail(node, f"version {raw!r} is not a content version "
                            f"(known: {', '.join(map(str, shipped))})")  # fmt: skip
            return None
        return maturity_content.load(int(raw))

    def answers(self, node: Node, who: str, content: Content) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        if not isinstance(node, MappingNode):
            self.fail(node, f"{who}: expected indicator ids with answers")
            return out
        known = content.indicators
        low, high = content.scale.low, content.scale.high
        for key, value in node.value:
            ident = str(key.value).strip() if isinstance(key, ScalarNode) else ""
            if ident not in known:
                self.fail(key, f"{who}: unknown indicator id {ident!r}")
                continue
            if ident in out:
                self.fail(key, f"{who}: {ident} is answered twice")
                continue
            raw = str(value.value).strip() if isinstance(value, ScalarNode) else "-"
            if raw.lower() in DONT_KNOW:
                out[ident] = None
            elif raw.isdigit() and low <= int(raw) <= high:
                out[ident] = int(raw)
            else:
                self.fail(value, f"{who}: {ident}: answer {raw!r} is outside {low}-{high} "
                                 "(or null for don't know)")  # fmt: skip
        return out
