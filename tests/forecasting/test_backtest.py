"""The backtest over CRM exports: outcomes, splits, baselines, the report, every refusal; the
CSV reader's errors; and the Maven CRM export when it is on this machine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.forecasting.synthetic import COLUMNS, known_deals, write_csv
from valuescout.core.errors import Invalid
from valuescout.forecasting.backtest import (
    BacktestSpec,
    RandomSplit,
    TimeSplit,
    parse_split,
    run_backtest,
)
from valuescout.forecasting.history import History, parse_history, read_history

SCORE_KEYS = {"auc", "brier", "log_loss", "calibration", "n_train", "n_test"}
MAVEN = Path(__file__).resolve().parents[3] / "shared" / "data" / "maven-crm" / "sales_pipeline.csv"


def history_of(rows: list[dict[str, str]], columns: list[str] | None = None) -> History:
    names = tuple(columns or rows[0])
    return History("deals.csv", names, tuple(rows), tuple(range(2, len(rows) + 2)))


def spec(**changes: object) -> BacktestSpec:
    base: dict[str, object] = {"outcome": "outcome", "won": "Closed Won", "seed": 1}
    return BacktestSpec(**(base | changes))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def generated() -> History:
    rows, _, _ = known_deals(6000, seed=21)
    return history_of(rows, COLUMNS)


def test_model_beats_the_base_rate_on_known_deals(generated: History) -> None:
    result = run_backtest(generated, spec(id_column="opportunity_id", stage="stage"))
    body = result.as_dict()
    assert set(body) == {"model", "baselines", "data"}
    assert set(body["baselines"]) == {"base_rate", "stage_weighted"}
    for score in (body["model"], *body["baselines"].values()):
        assert set(score) == SCORE_KEYS
        assert (score["n_train"], score["n_test"]) == (4200, 1800)
    model, base, stage = result.model, result.base_rate, result.stage_weighted
    assert stage is not None
    assert model.auc is not None and stage.auc is not None and base.auc == 0.5
    assert model.auc > stage.auc > 0.55
    assert model.brier is not None and base.brier is not None and stage.brier is not None
    assert model.brier < stage.brier < base.brier
    assert model.log_loss is not None and base.log_loss is not None
    assert model.log_loss < base.log_loss
    assert sum(b["count"] for b in model.calibration) == 1800
    assert set(model.calibration[0]) == {
        "lower", "upper", "count", "mean_predicted", "fraction_positive",
    }  # fmt: skip
    data = result.data
    assert data.train_wins + data.train_losses == 4200
    # Stratified: the test part has the training part's win rate, within one deal.
    assert abs(data.test_wins / 1800 - data.train_wins / 4200) < 1 / 1800 + 1e-9
    assert {d["column"]: d["reason"] for d in data.dropped_columns} == {
        "opportunity_id": "id column",
        "ticket": "id-like: every value differs",
        "source": "one value",
        "outcome": "outcome",
    }
    assert data.calibration == "isotonic" and data.split == "random:0.3"


def test_without_stage_the_stage_baseline_is_null(generated: History) -> None:
    body = run_backtest(generated, spec(exclude=("stage",))).as_dict()
    assert body["baselines"]["stage_weighted"] is None
    assert {"column": "stage", "reason": "excluded"} in body["data"]["dropped_columns"]


def test_same_seed_same_figures(generated: History) -> None:
    first = run_backtest(generated, spec(seed=5)).as_dict()
    assert run_backtest(generated, spec(seed=5)).as_dict() == first
    assert run_backtest(generated, spec(seed=6)).as_dict() != first


def _small(outcomes: list[str], **cells: list[str]) -> History:
    rows = [
        {
            "deal_id": f"D{i}",
            "outcome": o,
            "size": str(i % 7),
            **{k: v[i] for k, v in cells.items()},
        }
        for i, o in enumerate(outcomes)
    ]
    return history_of(rows)


def test_outcomes_won_lost_open_and_empty() -> None:
    outcomes = ["Won", "Lost", "Open", ""] * 30
    with_lost = run_backtest(_small(outcomes), spec(won="Won", lost=("Lost",), seed=2))
    assert (with_lost.data.open_left_out, with_lost.data.empty_outcome_left_out) == (30, 30)
    assert with_lost.model.n_train + with_lost.model.n_test == 60
    without = run_backtest(_small(outcomes), spec(won="Won", seed=2))
    assert (without.data.open_left_out, without.data.empty_outcome_left_out) == (0, 30)
    assert without.data.train_losses + without.data.test_losses == 60  # "Open" is a loss


def test_duplicated_rows_are_counted_once() -> None:
    rows = [{"outcome": "Won" if i % 3 else "Lost", "size": str(i % 120)} for i in range(240)]
    result = run_backtest(history_of(rows), spec(won="Won"))
    assert result.data.duplicates_removed == 120  # 120 distinct rows, each twice
    assert result.model.n_train + result.model.n_test == 120


def test_time_split_and_stage_rates() -> None:
    outcomes = ["Won", "Lost", "Lost", "Won"] * 10
    days = [f"2017-0{1 + i // 10}-15" if i % 13 else "" for i in range(40)]
    stages = ["Late", "Early", "Early", "Late"] * 9 + ["New", "New", "New", "New"]
    history = _small(outcomes, day=days, stage=stages)
    result = run_backtest(
        history, spec(won="Won", stage="stage", split=TimeSplit("day", date(2017, 3, 1)))
    )
    data = result.data
    assert data.empty_split_date_left_out == 4  # rows 0, 13, 26, 39
    assert result.model.n_train == 18 and result.model.n_test == 18
    assert {"column": "day", "reason": "time-split column"} in data.dropped_columns
    # Stage rates from training: Late wins all, Early none; "New" unseen -> the base rate.
    stage = result.stage_weighted
    assert stage is not None
    base = data.train_wins / result.model.n_train
    means = sorted(b["mean_predicted"] for b in stage.calibration)
    assert means == pytest.approx(sorted({0.0, base, 1.0}), abs=1e-12)


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("random:0.3", RandomSplit(0.3)),
        (" random:0.05 ", RandomSplit(0.05)),
        ("time:engage_date:2017-06-01", TimeSplit("engage_date", date(2017, 6, 1))),
        ("time:a:b:2017-06-01", TimeSplit("a:b", date(2017, 6, 1))),
    ],
)
def test_parse_split(text: str, split: object) -> None:
    assert parse_split(text) == split


@pytest.mark.parametrize(
    "text",
    ["random", "random:0", "random:1", "random:x", "time:2017-06-01", "time:d:2017-6-1",
     "time:d:2017-02-30", "time::2017-01-01", "date:d:2017-01-01", ""],
)  # fmt: skip
def test_bad_split(text: str) -> None:
    with pytest.raises(Invalid, match="--split"):
        parse_split(text)


def test_refusals(generated: History) -> None:
    cases = [
        (spec(outcome="result"), "no outcome column 'result'; columns: opportunity_id"),
        (spec(id_column="deal"), "--id: deals.csv has no column 'deal'"),
        (spec(exclude=("amount", "nope")), "--exclude: deals.csv has no column 'nope'"),
        (spec(stage="phase"), "--stage: deals.csv has no column 'phase'"),
        (spec(stage="outcome"), "the outcome column cannot be the stage"),
        (spec(split=TimeSplit("when", date(2017, 6, 1))), "--split: deals.csv has no column"),
        (spec(won="Won"), "No wins (outcome = 'Won') in the training part"),
        (spec(won="Closed Won", lost=("Lost",)), "No losses"),
        (spec(split=TimeSplit("created", date(2016, 1, 1))), "no closed deal has created before"),
        (spec(split=TimeSplit("created", date(2019, 1, 1))), "created on or after 2019-01-01"),
        (spec(split=TimeSplit("product", date(2017, 1, 1))), "line 2: product = "),
    ]
    for wrong, message in cases:
        with pytest.raises(Invalid) as refused:
            run_backtest(generated, wrong)
        assert message in refused.value.message, (wrong, refused.value.message)


def test_too_few_wins_in_training() -> None:
    outcomes = ["Won"] * 6 + ["Lost"] * 40
    days = ["2017-01-01"] * 3 + ["2017-02-01"] * 3 + ["2017-01-01"] * 40
    history = _small(outcomes, day=days)
    with pytest.raises(Invalid, match="3 wins and 40 losses"):
        run_backtest(history, spec(won="Won", split=TimeSplit("day", date(2017, 1, 15))))
    for fraction in (0.01, 0.99):  # too few rows to test or to train: the split is refused
        with pytest.raises(Invalid, match=f"--split random:{fraction}: 46 closed deals"):
            run_backtest(history, spec(won="Won", split=RandomSplit(fraction)))


# --- the CSV reader ---------------------------------------------------------------------------


def test_reads_a_real_export_shape(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b'\xef\xbb\xbfa;b ;\r\n1;"x;y";\r\n\r\n2;None;\r\n')
    history = read_history(path)
    assert history.columns == ("a", "b")
    assert history.rows == ({"a": "1", "b": "x;y"}, {"a": "2", "b": "None"})
    assert history.lines == (2, 4)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"a,b\n", "a header but no rows"),
        (b"a,b\n1,2\n3\n", "line 3 has 1 fields; the header has 2"),
        (b"a,b,\n1,2,\n3,4,x\n", "column 3 has no name in the header but holds values (line 3)"),
        (b"a,a\n1,2\n", "names the column 'a' twice"),
        (b"a,b\n1,\xff\n", "line 2 is not UTF-8 text"),
        (b"PK\x03\x04\x00\x00", "not a CSV file"),
        (b'a,b\n1,"2\n', "line 2 is not valid CSV"),
    ],
)
def test_reader_refusals(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(Invalid) as refused:
        read_history(path)
    assert message in refused.value.message
    assert refused.value.message.startswith(str(path))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="no such file"):
        read_history(tmp_path / "none.csv")
    with pytest.raises(Invalid, match="not a file"):
        read_history(tmp_path)


def test_parse_history_names_the_source() -> None:
    with pytest.raises(Invalid, match=r"^export: the file is empty"):
        parse_history("", "export")


def test_generated_export_round_trip(tmp_path: Path) -> None:
    rows, _, _ = known_deals(50, seed=3)
    history = read_history(write_csv(tmp_path / "deals.csv", rows))
    assert history.columns == tuple(COLUMNS) and list(history.rows) == rows


@pytest.mark.skipif(not MAVEN.is_file(), reason="the Maven CRM export is not on this machine")
def test_maven_crm_time_split() -> None:
    history = read_history(MAVEN)
    result = run_backtest(
        history,
        BacktestSpec(
            outcome="deal_stage",
            won="Won",
            lost=("Lost",),
            id_column="opportunity_id",
            exclude=("close_value", "close_date"),
            split=TimeSplit("engage_date", date(2017, 6, 1)),
        ),
    )
    data = result.data
    assert data.open_left_out == 2089 and data.duplicates_removed == 0
    assert result.model.n_train + result.model.n_test == 6711  # 4,238 won + 2,473 lost
    assert [f["column"] for f in data.features] == ["sales_agent", "product", "account"]
    assert result.model.brier is not None and result.base_rate.brier is not None
    # The data are generated without signal: the model may not be worse than the base rate.
    assert result.model.brier < result.base_rate.brier + 0.005
