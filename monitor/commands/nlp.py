"""Tagging commands: tag, eval, train, review."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from monitor.commands.common import pass_app
from monitor.context import AppContext


def _load_tagger(app: AppContext) -> Any:
    from nlp.tagger import Tagger

    try:
        return Tagger.load(encoder=app.config.model.encoder, artefacts=app.config.model.artefacts)
    except (FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("tag")
@click.option("--limit", type=int, default=None, help="Tag at most this many documents.")
@click.option("--batch-size", type=int, default=64, show_default=True)
@pass_app
def tag_cmd(app: AppContext, limit: int | None, batch_size: int) -> None:
    """Tag untagged documents in the store (measure types, roles, commodities, technologies).

    Example: cwatch tag --limit 500
    """
    from nlp.stage import tag_new_documents

    tagger = _load_tagger(app)
    count = tag_new_documents(app.db(), tagger, batch_size=batch_size, limit=limit)
    click.echo(f"tagged {count} documents with {tagger.model_version}")


def _table(report: dict[str, Any]) -> str:
    lines = [f"items: {report['n']}"]
    if report["n"]:
        et = report["event_types"]
        lines.append(f"event types: macro-F1 {et['macro_f1']:.3f}  micro-F1 {et['micro_f1']:.3f}")
        lines.append(f"  {'label':<24}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}")
        for label, s in et["per_label"].items():
            lines.append(
                f"  {label:<24}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{s['support']:>5}"
            )
        rel = report["relevance"]
        lines.append(f"relevance: P {rel['precision']:.3f}  R {rel['recall']:.3f}  F1 {rel['f1']:.3f}")
        for key in (
            "direction_accuracy",
            "imposing_accuracy",
            "stage_accuracy",
            "targets_f1",
            "commodities_f1",
            "technologies_f1",
        ):
            value = report.get(key)
            lines.append(f"{key.replace('_', ' ')}: {'n/a' if value is None else f'{value:.3f}'}")
    for lang, sub in report.get("by_language", {}).items():
        lines.append(
            f"[{lang}] n={sub['n']} macro-F1 {sub['event_types']['macro_f1']:.3f} "
            f"relevance-P {sub['relevance']['precision']:.3f} imposing {sub['imposing_accuracy']}"
        )
    mistakes = report.get("confusion", {}).get("mistakes", [])
    if mistakes:
        lines.append("most frequent confusions (gold -> predicted):")
        lines += [f"  {m['gold']} -> {m['pred']}: {m['count']}" for m in mistakes[:10]]
    for bad in report.get("bad_lines", []):
        lines.append(f"bad line {bad['line']}: {bad['reason']}")
    return "\n".join(lines)


@click.command("eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the evaluation contract).")
@click.option("--by-language", is_flag=True, help="Add the numbers per language.")
@pass_app
def eval_cmd(app: AppContext, file: str, as_json: bool, by_language: bool) -> None:
    """Evaluate the tagger on a labelled JSONL file (dev-set format).

    Example: cwatch eval ../shared/eval/dev.jsonl --json --by-language
    """
    from nlp.evaluate import evaluate_file

    report = evaluate_file(file, _load_tagger(app), by_language=by_language)
    click.echo(json.dumps(report, indent=2) if as_json else _table(report))


@click.command("train")
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Artefact directory (default: the configured one, else the shipped nlp/artefacts).",
)
@click.option(
    "--heldout/--no-heldout",
    default=True,
    show_default=True,
    help="First fit on our train split and report on our held-out split.",
)
@click.option("--no-human-labels", is_flag=True, help="Ignore labels stored by `cwatch review`.")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Folder of labelled *.jsonl files (default: nlp/data/train).",
)
@pass_app
def train_cmd(
    app: AppContext, out: str | None, heldout: bool, no_human_labels: bool, data_dir: str | None
) -> None:
    """Rebuild the classifier heads from nlp/data/train and stored human labels, deterministically.

    Example: cwatch train --out /tmp/artefacts
    """
    from nlp.model import ARTEFACT_DIR
    from nlp.train import training_examples
    from nlp.training_run import train

    db = None if no_human_labels or not app.db_path.exists() else app.db()
    examples, problems = training_examples(db, data_dir)
    for problem in problems:
        click.echo(f"skipped: {problem}", err=True)
    if not examples:
        raise click.ClickException("no training examples found")
    target = out or app.config.model.artefacts or str(ARTEFACT_DIR)
    total = len(examples) * (2 if heldout else 1)
    with click.progressbar(length=total, label="training", file=sys.stderr) as bar:

        def progress(_step: str, units: int) -> None:
            bar.update(units)

        run = train(examples, app.config.model.encoder, target, heldout=heldout, progress=progress)
    summary = run.summary
    if heldout:
        click.echo(f"held-out split ({run.heldout_size} of {len(examples)} examples):")
        click.echo(_table(run.heldout))
    click.echo(
        f"trained on {summary['examples']} examples in {summary['seconds']} s; "
        f"artefacts {summary['bytes'] / 1e6:.2f} MB in {summary['out']}"
    )


@click.command("review")
@click.argument("document_id", required=False)
@click.option("--limit", type=int, default=20, show_default=True)
@click.option(
    "--below", type=float, default=0.8, show_default=True, help="List documents under this confidence."
)
@click.option("--types", "types_", default=None, help="Label: comma-separated event types, or 'none'.")
@click.option("--direction", type=click.Choice(["restrictive", "liberalizing"]), default=None)
@click.option("--imposing", default=None, help="ISO alpha-2 code or EU.")
@click.option("--targets", default="", help="Comma-separated ISO codes.")
@click.option("--commodities", default="", help="Comma-separated commodity names.")
@click.option("--technologies", default="", help="Comma-separated technology names.")
@click.option("--stage", type=click.Choice(["proposed", "announced", "in_force", "lifted"]), default=None)
@click.option("--labeller", default=None, help="Who labels (kept with the label).")
@pass_app
def review_cmd(
    app: AppContext,
    document_id: str | None,
    limit: int,
    below: float,
    types_: str | None,
    direction: str | None,
    imposing: str | None,
    targets: str,
    commodities: str,
    technologies: str,
    stage: str | None,
    labeller: str | None,
) -> None:
    """List low-confidence documents, or record a human label for one (used by `cwatch train`).

    Examples: cwatch review --limit 10
              cwatch review 3f2a… --types tariff --imposing CN --targets US --stage in_force
    """
    from db.store import has_document, low_confidence_documents, record_human_label
    from nlp.review import build_label

    db = app.db()
    if document_id is None:
        rows = low_confidence_documents(db, below=below, limit=limit)
        if not rows:
            click.echo("no low-confidence documents to review")
        for row in rows:
            types = ",".join(json.loads(row["event_types"])) or "none"
            click.echo(f"{row['id']}  conf {row['confidence']:.2f}  [{types}]  {row['title'][:90]}")
        return
    if not has_document(db, document_id):
        raise click.ClickException(f"no document {document_id}")
    if not types_:
        raise click.ClickException("give the label with --types (e.g. --types tariff or --types none)")
    try:
        label = build_label(types_, direction, imposing, targets, commodities, technologies, stage)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    record_human_label(db, document_id, label, labeller)
    click.echo(f"recorded label for {document_id}: {','.join(label['event_types'])}")


def register(group: click.Group) -> None:
    for command in (tag_cmd, eval_cmd, train_cmd, review_cmd):
        group.add_command(command)
