import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mobility_kg.build import STAGES
from mobility_kg.cli import app
from mobility_kg.config import Settings

DATA = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_build_then_validate_on_a_fresh_data_dir(mini_copy: Settings) -> None:
    corpus, data = str(mini_copy.corpus_dir), str(mini_copy.data_dir)
    code, out, err = _run("build", "--corpus", corpus, "--data-dir", data)
    assert code == 0
    assert err.splitlines() == [  # not a terminal: one plain line per stage, on stderr
        *(f"build [{n}/{len(STAGES)}]: {stage}" for n, stage in enumerate(STAGES, start=1)),
    ]
    assert out.splitlines()[0].startswith("built 7") and out.splitlines()[0].endswith(
        f"triples into {data}"
    )
    assert out.splitlines()[1] == (
        "entities: 2 dimension, 1 evidence, 2 guide, 3 metric, 2 pillar, 1 place, 1 plan, 1 post, "
        "3 predictor, 3 strategy, 1 term"
    )
    code, out, _ = _run("build", "--corpus", corpus, "--data-dir", data)
    assert (code, out.splitlines()[0]) == (0, f"up to date: nothing to do ({data})")
    code, out, _ = _run("validate", "--data-dir", data)
    assert (code, out) == (0, "ok: 20 entities conform to the shapes\n")


def test_validate_prints_one_line_per_violation_and_exits_1(mini_copy: Settings) -> None:
    assert mini_copy.corpus_dir is not None
    (mini_copy.corpus_dir / "framework" / "metrics" / "student-homelessness.md").unlink()
    corpus, data = str(mini_copy.corpus_dir), str(mini_copy.data_dir)
    code, _, err = _run("build", "--corpus", corpus, "--data-dir", data)
    assert code == 1
    assert err.splitlines()[-1].startswith("error: 1 SHACL violation: predictor/housing-stability")
    assert _run("build", "--corpus", corpus, "--data-dir", data, "--skip-shapes")[0] == 0
    code, out, _ = _run("validate", "--data-dir", data)
    assert code == 1
    assert (
        out
        == "Violation: predictor/housing-stability umf:measuredBy: a predictor is measured by at least one metric\n"
    )
    code, out, _ = _run("validate", "--json", "--data-dir", data)
    report = json.loads(out)
    assert (code, report["conforms"], report["count"]) == (1, False, 1)
    assert report["data"] == [
        {
            "focus_node": "predictor/housing-stability",
            "path": "umf:measuredBy",
            "message": "a predictor is measured by at least one metric",
            "severity": "Violation",
        }
    ]


def test_corpus_error_is_one_line_with_exit_code_3(mini_copy: Settings) -> None:
    assert mini_copy.corpus_dir is not None
    shutil.copyfile(
        DATA / "bad" / "unknown-pillar.md",
        mini_copy.corpus_dir / "framework" / "predictors" / "digital-access.md",
    )
    code, _, err = _run(
        "build", "--corpus", str(mini_copy.corpus_dir), "--data-dir", str(mini_copy.data_dir)
    )
    assert code == 3
    assert err == (
        f"build [1/{len(STAGES)}]: read corpus\n"
        'error: framework/predictors/digital-access.md:5: field "pillar": unknown entity '
        "'pillar/rewarding-wrok'; did you mean pillar/rewarding-work?\n"
    )


def test_show_json_lists_links_with_compact_ids(mini_settings: Settings) -> None:
    code, out, _ = _run(
        "show",
        "strategy/housing-choice-vouchers",
        "--json",
        "--data-dir",
        str(mini_settings.data_dir),
    )
    assert code == 0
    view = json.loads(out)
    assert (view["id"], view["type"], view["label"]) == (
        "strategy/housing-choice-vouchers",
        "strategy",
        "Housing choice vouchers",
    )
    assert [(link["property"], link["id"]) for link in view["links_out"]] == [
        ("umf:addresses", "predictor/housing-affordability"),
        ("umf:addresses", "predictor/housing-stability"),
    ]
    assert view["links_in"] == []


def test_show_prints_the_whole_document(mini_settings: Settings) -> None:
    code, out, _ = _run(
        "show", "evidence/housing-stability", "--data-dir", str(mini_settings.data_dir)
    )
    assert code == 0
    assert out.split("links out:")[0] == (
        "evidence/housing-stability  (evidence)  Evidence: Housing stability\n"
        "  source: https://upward-mobility.urban.org/framework/neighborhoods/stability\n\n"
        "Losing a home through an eviction sets off losses in work, school and health.\n\n"
        "## Why it matters for mobility\n\n"
        "A forced move can cost a worker a job and a child a school year.\n\n"
        "## What the research finds\n\n"
        "Evicted workers are more likely to be laid off afterwards.\n\n"
        "## What local and state actors can do\n\n"
        "Legal help in housing court and rental vouchers keep families housed.\n\n"
    )
    code, out, _ = _run(
        "show", "evidence/housing-stability", "--json", "--data-dir", str(mini_settings.data_dir)
    )
    texts = json.loads(out)["section_texts"]
    assert [(s["anchor"], s["text"]) for s in texts][1] == (
        "what-the-research-finds",
        "Evicted workers are more likely to be laid off afterwards.",
    )


def test_show_unknown_id_suggests_close_ids(mini_settings: Settings) -> None:
    code, _, err = _run(
        "show", "predictor/housing-stabilty", "--data-dir", str(mini_settings.data_dir)
    )
    assert code == 4
    assert (
        err
        == "error: predictor/housing-stabilty: no such entity; did you mean predictor/housing-stability, "
        "predictor/housing-affordability?\n"
    )


def test_show_malformed_id_is_exit_2(mini_settings: Settings) -> None:
    code, _, err = _run("show", "housing", "--data-dir", str(mini_settings.data_dir))
    assert (code, err) == (2, "error: 'housing': a compact id has the form <type>/<slug>\n")


def test_stats_json(mini_settings: Settings, expected: dict) -> None:  # type: ignore[type-arg]
    code, out, _ = _run("stats", "--json", "--data-dir", str(mini_settings.data_dir))
    assert code == 0
    stats = json.loads(out)
    assert stats["entities"] == dict(sorted(expected["entities"].items()))
    assert stats["links"] == expected["links_by_property"]


def test_commands_without_a_build_say_how_to_build(tmp_path: Path) -> None:
    for command in ("validate", "stats", "export"):
        code, _, err = _run(command, "--data-dir", str(tmp_path))
        assert (code, err) == (
            5,
            f"error: {tmp_path}: no build here; run `mobility-kg build` first\n",
        )


def test_unknown_export_format_is_exit_2(mini_settings: Settings) -> None:
    code, _, err = _run("export", "--format", "rdfxml", "--data-dir", str(mini_settings.data_dir))
    assert (code, err) == (
        2,
        "error: format 'rdfxml' is not supported; use one of turtle, jsonld, nt\n",
    )


def test_data_dir_comes_from_the_environment(mini_settings: Settings) -> None:
    result = runner.invoke(
        app, ["stats", "--json"], env={"MOBILITY_KG_DATA_DIR": str(mini_settings.data_dir)}
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["entities"]["predictor"] == 3


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"]])
def test_console_script_runs(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mobility_kg", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "Usage:" in done.stdout


def test_version_and_help_without_type_placeholders_for_flags() -> None:
    from mobility_kg import __version__

    code, out, _ = _run("--version")
    assert (code, out) == (0, f"mobility-kg {__version__}\n")
    for args in (["--help"], ["build", "--help"], ["search", "--help"], ["show", "--help"]):
        code, out, _ = _run(*args)
        assert code == 0 and "Usage:" in out
        assert "<bool>" not in out
        flags = [line for line in out.splitlines() if "--help" in line or "--json" in line]
        assert flags and all("<" not in line for line in flags)
    assert "<int>" in _run("search", "--help")[1]  # options that take a value still say what


def test_every_command_summary_is_one_line_in_the_help() -> None:
    """The command list prints each summary as written: a line break in it breaks the
    sentence in the middle of the list, so details go after a blank line."""
    import typer.main

    def commands(command: object, name: str) -> list[tuple[str, object]]:
        subcommands = getattr(command, "commands", {})
        found = [(name, command)]
        for sub, child in subcommands.items():
            found.extend(commands(child, f"{name} {sub}"))
        return found

    listed = commands(typer.main.get_command(app), "mobility-kg")
    assert len(listed) > 20
    broken = [
        name
        for name, command in listed
        if "\n" in (getattr(command, "help", None) or "").strip().split("\n\n")[0]
    ]
    assert broken == []


def test_counts_are_pluralised(mini_settings: Settings) -> None:
    data = str(mini_settings.data_dir)
    assert _run("related", "predictor/housing-stability", "--data-dir", data)[1] == (
        "  predictor/housing-affordability  (Housing affordability)  1 shared strategy; same pillar\n"
    )
    assert _run("strategies", "predictor/housing-stability", "--data-dir", data)[1].startswith(
        "predictor/housing-stability  Housing stability: 2 strategies\n"
    )
    out = _run(
        "path",
        "post/philadelphia-data-dashboard",
        "predictor/housing-stability",
        "--data-dir",
        data,
    )[1]
    assert out.startswith("path 1 (1 link):\n")


def test_search_json_shape(mini_settings: Settings) -> None:
    code, out, _ = _run(
        "search",
        "a free lawyer for tenants in housing court",
        "--k",
        "2",
        "--json",
        "--data-dir",
        str(mini_settings.data_dir),
    )
    assert code == 0
    response = json.loads(out)
    assert {k: v for k, v in response.items() if k != "data"} == {
        "query": "a free lawyer for tenants in housing court",
        "mode": "hybrid",
        "k": 2,
        "type": None,
        "pillar": None,
        "predictor": None,
        "count": 2,
    }
    first = response["data"][0]
    assert sorted(first) == [
        "about",
        "anchor",
        "id",
        "score",
        "section",
        "snippet",
        "source_url",
        "title",
        "type",
    ]
    assert (first["id"], first["about"]) == (
        "strategy/eviction-right-to-counsel",
        ["predictor/housing-stability"],
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["search", "  "], 2, "error: query: must not be empty\n"),
        (
            ["search", "jobs", "--mode", "fuzzy"],
            2,
            "error: mode: 'fuzzy' is not one of hybrid, dense, bm25\n",
        ),
        (["search", "jobs", "--k", "0"], 2, "error: k: must be between 1 and 100, got 0\n"),
        (
            ["search", "jobs", "--type", "poem"],
            2,
            "error: type: 'poem' is not one of dimension, pillar, predictor, metric, evidence, strategy, term, post, plan, guide, place, methodology\n",
        ),
        (
            ["search", "jobs", "--predictor", "predictor/jobs"],
            4,
            "error: predictor/jobs: no such entity\n",
        ),
        (
            ["search", "jobs", "--predictor", "pillar/rewarding-work"],
            2,
            "error: 'pillar/rewarding-work': is a pillar, not a predictor\n",
        ),
        (
            ["search", "jobs", "--pillar", "jobs"],
            2,
            "error: 'jobs': a compact id has the form <type>/<slug>\n",
        ),
        (["ask", ""], 2, "error: query: must not be empty\n"),
        (
            ["strategies", "pillar/rewarding-work"],
            2,
            "error: 'pillar/rewarding-work': is a pillar, not a predictor\n",
        ),
        (
            ["path", "post/philadelphia-data-dashboard", "term/evictions"],
            4,
            "error: term/evictions: no such entity; did you mean term/eviction?\n",
        ),
        (
            ["neighbors", "term/eviction", "--depth", "0"],
            2,
            "error: depth: must be 1 or more, got 0\n",
        ),
    ],
)
def test_bad_search_and_traversal_input_is_one_line(
    mini_settings: Settings, args: list[str], code: int, message: str
) -> None:
    assert _run(*args, "--data-dir", str(mini_settings.data_dir))[::2] == (code, message)


def test_ask_prints_cited_sentences(mini_settings: Settings) -> None:
    code, out, _ = _run(
        "ask",
        "how can a county keep families from losing their homes?",
        "--json",
        "--data-dir",
        str(mini_settings.data_dir),
    )
    assert code == 0
    answer = json.loads(out)
    assert len(answer["answer"]) == 3
    assert all(s["citation"]["source_url"].startswith("https://") for s in answer["answer"])
    assert {"relation": "predictor", "id": "predictor/housing-stability"}.items() <= answer[
        "linked"
    ][0].items()


def test_path_json_lists_hops(mini_settings: Settings) -> None:
    code, out, _ = _run(
        "path",
        "post/philadelphia-data-dashboard",
        "strategy/housing-choice-vouchers",
        "--json",
        "--data-dir",
        str(mini_settings.data_dir),
    )
    assert code == 0
    assert json.loads(out)["data"] == [
        [
            {
                "source": "post/philadelphia-data-dashboard",
                "property": "dcterms:subject",
                "target": "predictor/housing-stability",
            },
            {
                "source": "strategy/housing-choice-vouchers",
                "property": "umf:addresses",
                "target": "predictor/housing-stability",
            },
        ]
    ]


def test_eval_split_scores_one_half_and_rejects_unknown_halves(
    mini_settings: Settings, tmp_path: Path
) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"question": "a free lawyer for tenants facing eviction", '
        '"relevant": ["term/eviction"], "split": "dev"}\n'
        '{"question": "why does a stable home matter?", '
        '"relevant": ["predictor/housing-stability"], "split": "test"}\n'
        '{"question": "what is the Philadelphia plan?", '
        '"relevant": ["plan/philadelphia-mobility-action-plan"], "split": "test"}\n'
    )
    data = ["--data-dir", str(mini_settings.data_dir)]
    counts = {}
    for half in ("dev", "test"):
        code, out, _ = _run(
            "eval", str(questions), "--split", half, "--mode", "bm25", "--json", *data
        )
        assert code == 0
        mode = json.loads(out)["modes"][0]
        counts[half] = mode["questions"]
        # JSON keeps four places; the text table rounds the unrounded mean once, to three.
        figures = [*mode["recall"].values(), mode["mrr_at_10"], mode["ndcg_at_10"]]
        assert all(value == round(value, 4) for value in figures)
    assert counts == {"dev": 1, "test": 2}
    assert _run("eval", str(questions), "--split", "train", *data)[::2] == (
        2,
        "error: split: unknown split 'train' (known: dev, test)\n",
    )


def test_no_path_is_an_answer_in_text_as_in_json(mini_settings: Settings) -> None:
    data = ["--data-dir", str(mini_settings.data_dir)]
    ends = ("guide/step-1-learn-the-approach", "term/eviction")  # the guide stands apart
    assert json.loads(_run("path", *ends, "--json", *data)[1])["count"] == 0
    assert _run("path", *ends, *data) == (
        0,
        "no path between guide/step-1-learn-the-approach and term/eviction\n",
        "",
    )


def test_eval_refuses_unreadable_files_and_unknown_ids_with_their_line(
    mini_settings: Settings, tmp_path: Path
) -> None:
    data = ["--data-dir", str(mini_settings.data_dir)]
    good = '{"question": "eviction", "relevant": ["term/eviction"]}\n'
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(
        good.encode()
        + '{"question": "caf\u00e9", "relevant": ["term/eviction"]}\n'.encode("latin-1")
    )
    assert _run("eval", str(latin1), *data)[::2] == (
        3,
        f"error: {latin1}:2: not UTF-8 text (byte {len(good) + 17})\n",
    )
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text(good + '{"question": "jobs", "relevant": ["term/evictions"]}\n')
    assert _run("eval", str(unknown), *data)[::2] == (
        3,
        f'error: {unknown}:2: field "relevant": term/evictions: no such entity; '
        "did you mean term/eviction?\n",
    )
    assert _run("eval", str(unknown), "--mode", "fuzzy", *data)[::2] == (
        2,
        "error: mode: 'fuzzy' is not one of all, hybrid, dense, bm25\n",
    )


def test_export_to_a_path_it_cannot_write_fails_before_any_work(
    mini_settings: Settings, tmp_path: Path
) -> None:
    data = ["--data-dir", str(mini_settings.data_dir)]
    missing = tmp_path / "no-such-folder" / "graph.ttl"
    assert _run("export", "-o", str(missing), *data)[::2] == (
        2,
        f"error: --output: no such folder: {missing.parent}\n",
    )
    assert _run("export", "-o", str(tmp_path), *data)[::2] == (
        2,
        f"error: --output: {tmp_path} is a folder; give a file name\n",
    )
    target = tmp_path / "graph.ttl"
    target.write_text("kept until the export is whole")
    assert _run("export", "-o", str(target), *data)[0] == 0
    assert target.read_text().startswith("@prefix")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]  # no temporary left behind


def _console(*args: str) -> subprocess.CompletedProcess[str]:
    """The console script as a shell runs it (``main``, not the typer app a runner calls)."""
    return subprocess.run(
        [sys.executable, "-c", "from mobility_kg.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "jobs", "--k", "abc"], "search: Invalid value for '--k'"),
        (["search"], "search: Missing argument 'QUESTION'."),
        (["validate", "--bogus"], "validate: No such option: --bogus"),
        (["frobnicate"], "No such command 'frobnicate'."),
    ],
)
def test_usage_errors_are_one_line_with_exit_code_2(args: list[str], message: str) -> None:
    done = _console(*args)
    assert (done.returncode, done.stdout) == (2, "")
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("error: ") and message in done.stderr
    assert done.stderr.rstrip().endswith("--help')")


def test_serve_refuses_a_port_it_cannot_listen_on_before_loading(tmp_path: Path) -> None:
    import socket

    empty = ["--data-dir", str(tmp_path)]  # no build: the port is checked first
    done = _console("serve", "--port", "99999", *empty)
    assert (done.returncode, done.stderr) == (
        2,
        "error: --port: must be between 0 and 65535, got 99999\n",
    )
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = _console("serve", "--port", str(port), *empty)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: --port: cannot listen on 127.0.0.1:{port}: ")


def test_neighbors_json_echoes_its_filters(mini_settings: Settings) -> None:
    args = ["neighbors", "metric/student-homelessness", "--depth", "2", "--type", "strategy"]
    code, out, _ = _run(*args, "--json", "--data-dir", str(mini_settings.data_dir))
    body = json.loads(out)
    assert (code, body["id"], body["depth"], body["type"]) == (
        0,
        "metric/student-homelessness",
        2,
        "strategy",
    )
    assert body["count"] == len(body["data"]) == 2
