"""Released migrations are frozen text: a hash per script, numbering without gaps, old stores upgrade."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlite_utils import Database

from db import migrations, open_db

# sha256 of each released script. A failing line here means a released migration was edited: revert the
# edit and append a new migration instead (stores already at that version would never see the change).
RELEASED = {
    "001_documents_events_fts.sql": "0b1bd225e7caf1057d51d68ffb4a0683c20f2b04f974e549662c4ec2bf49d7b7",
    "002_alert_outbox_stories_feedback.sql": "fc1be3d0ae639d2d15956095f85adde165e524a8545510d103cb4302b56f8a12",
    "003_crawl_pages.sql": "c42d98b89e404299a3f7045a18eb1110776b2d946bca61c81423e608b2a12527",
    "004_tag_scores_labels.sql": "4dfb2977fe94bd7f2df8776e12c80d787605915bcb0cab46c3f1b218168c5caf",
    "005_research_indexes_facets.sql": "5ddd64d8c1d43d50cba496bbd0fb2e923cf5a6fc7085b350ca66eb6b46367915",
    "006_backfill_jobs.sql": "00754733b0be60b5ff0462894c117e87417560bf60981c66ea874df9d64325a9",
    "007_signals_cases_escalation.sql": "b7ba36519bfc492a94ba9049a10cb250977d5b9e7e66f72d3438c9a5185524b2",
    "008_scale_indexes.sql": "a62242a1178bb0520d498c62e769c5d5eab3b8ed6272113048b3f4c186d76f48",
    "009_word_fts_index.sql": "def68e239197bc406ae77dd778052af55dbe2d12c4eafa515c612e61b09cad14",
    "010_summary_tables.sql": "11b42b49db4c363b61f3ce1a5e1514144b51c4710cb39a2886f1f5c1df59993d",
    "011_crawl_pages_if_missing.sql": "c42d98b89e404299a3f7045a18eb1110776b2d946bca61c81423e608b2a12527",
    "012_notice_retry_columns.sql": "80e63f31dec8b46b32492ffedbe7253cfe3ae8baf1de07156487e146234605f7",
    "013_incremental_signals_indexes.sql": "804050dfaf83eb6902f64fcd9177f900e716f324792001545210110578e44632",
    "014_trigram_index_for_cjk_text.sql": "086adb29b9a682a602d6a799ca47225bff8e9405cba2eff099e85509c1c27a85",
    "015_escalation_change_points.sql": "f2b0bf1aacea1c7f9bb3c23d1376c6dedb6ab53e759525cacc8301aad0ceedd9",
    "016_pair_dates_and_case_queue.sql": "57e20eb8f18f80fe496034f330465a3df61d56d6353dab9efabe7f54983dedff",
    "017_one_trigram_update_trigger.sql": "0da93355ff3ae04fcf51d5a9257ed0ae42207aee66eccfe29185107bbaa75da3",
    "018_document_heads_index.sql": "35b2900b8c30e0acede2878ddbac230cc073e7c02d524ea369b17b29ae34c4e7",
    "019_public_dates_and_link_inputs.sql": "4569b8b04a78915115bab4af4ff3111e811ee028767f50f0f04daa684b4020ea",
    "020_retaliation_change_log.sql": "fd4366d5792deb76bf72468687a789a88ed931f693cb9423bb4d486f8ff13e30",
    "021_date_index_with_document_id.sql": "9d6e65a5ecd4b40d24b970d8138ff5adae427dbb6dc42323ac8c4f8ba2b4e44b",
}


@pytest.mark.parametrize("name", sorted(RELEASED))
def test_released_migration_text_never_changes(name: str) -> None:
    sql = dict(migrations.MIGRATIONS)[name]
    assert hashlib.sha256(sql.encode("utf-8")).hexdigest() == RELEASED[name]


def test_every_migration_is_released_and_numbered_in_order() -> None:
    names = [name for name, _sql in migrations.MIGRATIONS]
    assert names[: len(RELEASED)] == sorted(RELEASED)
    assert len(names) == len(RELEASED), "a new migration: add its hash to RELEASED when it is released"


def test_store_missing_crawl_pages_gets_it_from_the_versioned_path(tmp_path: Path) -> None:
    """Stores migrated while 003 was empty reached version 10 without crawl_pages; 011 adds it."""
    db = Database(tmp_path / "store.db")
    assert migrations.migrate(db, migrations.MIGRATIONS[:10]) == 10
    with db.conn:
        db.execute("DROP TABLE crawl_pages")
    assert migrations.migrate(db) == len(migrations.MIGRATIONS)
    assert "crawl_pages" in db.table_names()
    db.conn.close()


def test_fresh_store_reaches_the_last_version(tmp_path: Path) -> None:
    db = open_db(tmp_path / "store.db")
    assert migrations.schema_version(db) == len(migrations.MIGRATIONS) == len(RELEASED)
    db.conn.close()
