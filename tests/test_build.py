import json
import shutil
from pathlib import Path

import pytest

from mobility_kg.build import build, load_built_graph
from mobility_kg.config import Settings
from mobility_kg.errors import CorpusError, MissingArtifact, ShapeViolation, StaleArtifact
from mobility_kg.search.embedder import MiniLMEmbedder
from mobility_kg.search.known_questions import shipped_known_questions

DATA = Path(__file__).resolve().parent / "data"


def _snapshot(data_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data_dir)): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file()
    }


def test_second_build_without_change_is_a_no_op(
    mini_copy: Settings, embedder: MiniLMEmbedder
) -> None:
    first = build(mini_copy, embedder=embedder)
    before = _snapshot(mini_copy.data_dir)
    second = build(mini_copy, embedder=embedder)
    assert (first.changed, second.changed) == (True, False)
    assert _snapshot(mini_copy.data_dir) == before


def test_manifest_describes_the_build(mini_copy: Settings, embedder: MiniLMEmbedder) -> None:
    result = build(mini_copy, embedder=embedder)
    manifest = json.loads((mini_copy.data_dir / "manifest.json").read_text())
    assert manifest["corpus_hash"] == result.manifest.corpus_hash
    assert manifest["entities_by_type"]["predictor"] == 3
    assert manifest["triples"] == sum(manifest["triples_by_type"].values())
    assert sorted(manifest["files"]) == [
        "bm25",
        "catalog",
        "chunks",
        "dense",
        "encoder",
        "graph",
        "quantized",
        "questions",
        "questionvectors",
        "sentences",
        "sentvectors",
        "shapes",
        "tokenizer",
        "vectors",
    ]
    assert manifest["search"]["model"] == "all-MiniLM-L6-v2"
    encoder = manifest["search"]["query_encoder"]
    assert encoder["model"] == "all-MiniLM-L6-v2"
    assert len(encoder["model_hash"]) == 64
    assert encoder["files"] == {"onnx": "encoder", "onnx-int8": "quantized"}
    assert manifest["search"]["sentences"] >= manifest["search"]["chunks"]
    assert manifest["search"]["index_kind"] == "flat"
    # The release's known questions whose answers are all in this corpus.
    assert 0 < manifest["search"]["known_questions"] < len(shipped_known_questions())
    assert sorted(p.name for p in mini_copy.data_dir.iterdir()) == sorted(
        ["manifest.json", *manifest["files"].values()]
    )


def test_changed_corpus_rebuilds_and_drops_the_old_graph_file(
    mini_copy: Settings, embedder: MiniLMEmbedder
) -> None:
    first = build(mini_copy, embedder=embedder)
    assert mini_copy.corpus_dir is not None
    step = mini_copy.corpus_dir / "guide" / "step-2-use-the-metrics.md"
    step.write_text(step.read_text().replace("Learn how", "Find out how"))
    second = build(mini_copy, embedder=embedder)
    assert second.changed
    assert second.manifest.files["graph"] != first.manifest.files["graph"]
    assert not (mini_copy.data_dir / first.manifest.files["graph"]).exists()


def test_failed_build_leaves_the_previous_build_untouched(
    mini_copy: Settings, embedder: MiniLMEmbedder
) -> None:
    build(mini_copy, embedder=embedder)
    before = _snapshot(mini_copy.data_dir)
    assert mini_copy.corpus_dir is not None
    target = mini_copy.corpus_dir / "framework" / "predictors" / "digital-access.md"
    shutil.copyfile(DATA / "bad" / "unknown-pillar.md", target)
    with pytest.raises(CorpusError):
        build(mini_copy, embedder=embedder)
    assert _snapshot(mini_copy.data_dir) == before


def test_shape_violation_stops_the_build_unless_skipped(
    mini_copy: Settings, embedder: MiniLMEmbedder
) -> None:
    assert mini_copy.corpus_dir is not None
    (mini_copy.corpus_dir / "framework" / "metrics" / "employment-to-population-ratio.md").unlink()
    with pytest.raises(ShapeViolation) as caught:
        build(mini_copy, embedder=embedder)
    assert [str(v) for v in caught.value.violations] == [
        "predictor/employment-opportunities umf:measuredBy: a predictor is measured by at least one metric"
    ]
    assert not mini_copy.data_dir.exists() or not any(mini_copy.data_dir.iterdir())
    assert build(mini_copy, check_shapes=False, embedder=embedder).changed


def test_loading_without_a_build_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(MissingArtifact, match="no build here; run `mobility-kg build` first"):
        load_built_graph(tmp_path)


def test_altered_graph_file_is_detected(mini_copy: Settings, embedder: MiniLMEmbedder) -> None:
    result = build(mini_copy, embedder=embedder)
    graph_file = mini_copy.data_dir / result.manifest.files["graph"]
    graph_file.write_text(graph_file.read_text()[:-200])
    with pytest.raises(MissingArtifact, match="content does not match the manifest's hash"):
        load_built_graph(mini_copy.data_dir)
    assert build(
        mini_copy, embedder=embedder
    ).changed  # the damaged build is not taken as up to date


def test_build_from_another_version_is_stale(mini_copy: Settings, embedder: MiniLMEmbedder) -> None:
    build(mini_copy, embedder=embedder)
    path = mini_copy.data_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["package_version"] = "0.0.1"
    path.write_text(json.dumps(manifest))
    with pytest.raises(StaleArtifact, match=r"built by 0.0.1, running 0.1.0"):
        load_built_graph(mini_copy.data_dir)
