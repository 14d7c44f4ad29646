"""`mieruka similar [--format json] [--min-score X] [--include-distinct]`: similar systems across ministries."""

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from mieruka.core.errors import both_languages
from mieruka.insights import conf, selectors, similarity
from mieruka.insights.figures import reason_text


class Command(BaseCommand):
    help = "List pairs of similar systems of different ministries (duplicate candidates), best first."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--min-score",
            type=float,
            default=None,
            help=f"0..1; default {conf.similarity_threshold()} (INSIGHTS_SIMILARITY_THRESHOLD)",
        )
        parser.add_argument("--language", default="ja", help="language of the reasons (ja or en)")
        parser.add_argument(
            "--include-distinct",
            action="store_true",
            help="also list pairs a person judged distinct (as a pair or within a cluster)",
        )

    def handle(self, *args, **options):
        threshold = conf.similarity_threshold() if options["min_score"] is None else options["min_score"]
        if not 0 <= threshold <= 1:
            raise CommandError(  # the command line has no reader's language: both
                both_languages(
                    f"--min-score は0から1の範囲で指定してください（{threshold}）",
                    f"--min-score must be between 0 and 1 (got {threshold})",
                )
            )
        translation.activate(options["language"])
        started = time.perf_counter()
        # Progress goes to stderr so that stdout stays valid JSON.
        self.stderr.write("Loading systems… / 情報システムを読み込んでいます…")
        records = selectors.similarity_records()
        self.stderr.write(f"Comparing {len(records):,} systems… / {len(records):,}件を比較しています…")
        pairs = similarity.similar_pairs(records, threshold=threshold)
        if not options["include_distinct"]:
            # What a person set aside as distinct does not come back (pair or cluster verdicts).
            found = len(pairs)
            pairs = selectors.pairs_respecting_verdicts(pairs)
            if found > len(pairs):
                self.stderr.write(
                    f"{found - len(pairs):,} pairs judged distinct left out (--include-distinct lists them) / "
                    f"別物と判定済みの{found - len(pairs):,}件を除外"
                )
        systems = {
            r["id"]: r
            for r in selectors.system_summaries(ids={pk for p in pairs for pk in (p.a, p.b)}).values()
        }
        out = [
            {
                "a": systems[p.a]["system_id"],
                "b": systems[p.b]["system_id"],
                "score": p.score,
                "reasons": [reason_text(r) for r in p.reasons],
            }
            for p in pairs
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
        else:
            for row, p in zip(out, pairs, strict=True):
                self.stdout.write(
                    f"{row['score']:.2f}  {row['a']} {systems[p.a]['name_ja']}  ⇔  {row['b']} {systems[p.b]['name_ja']}"
                )
                for reason in row["reasons"]:
                    self.stdout.write(f"        {reason}")
        groups = similarity.clusters(pairs)
        self.stderr.write(
            f"{len(pairs):,} pairs in {len(groups):,} clusters at score ≥ {threshold} "
            f"({time.perf_counter() - started:.1f} s) / 候補ペア{len(pairs):,}件・クラスター{len(groups):,}件"
        )
