"""Ad-hoc surveys: every question type, answered on a page, aggregated, exported as CSV and XLSX."""

import csv
import io
import shutil
import tempfile

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from mieruka.core.errors import ApplicationError
from mieruka.reporting import survey_selectors, survey_services
from mieruka.reporting.models import Answer, Survey, SurveyRecipient

from .base import ReportingTestCase

QUESTIONS = [
    {"text": "利用状況", "kind": "choice", "choices": ["本格利用", "試行中", "予定なし"], "required": True},
    {"text": "利用業務", "kind": "multi", "choices": ["文書作成", "翻訳", "分析"]},
    {"text": "利用者数", "kind": "number"},
    {"text": "開始日", "kind": "date"},
    {"text": "課題", "kind": "text"},
    {"text": "規程", "kind": "file"},
]


class SurveyTest(ReportingTestCase):
    def setUp(self):
        self.media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)
        self.survey = survey_services.survey_create(
            actor=self.actor(), title="生成AI調査", due_on=self.today, questions=QUESTIONS,
            organizations=[self.mhlw, self.moj, self.digital_agency])
        with self.captureOnCommitCallbacks(execute=True):
            survey_services.survey_open(actor=self.actor(), survey=self.survey)
        self.q = {q.position: q for q in self.survey.questions.all()}
        self.mhlw_r = SurveyRecipient.objects.get(survey=self.survey, organization=self.mhlw)
        self.moj_r = SurveyRecipient.objects.get(survey=self.survey, organization=self.moj)

    def answer(self, recipient, user, values, submit=True, files=None):
        return survey_services.survey_answer_save(
            actor=self.actor(user), recipient=recipient, submit=submit, files=files,
            values={self.q[n].pk: v for n, v in values.items()})

    def test_opening_tells_each_organizations_editors(self):
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), sorted([self.pjmo_other.email, self.pjmo.email]))

    def test_a_pjmo_answers_every_question_type_on_the_page(self):
        self.login(self.pjmo)
        url = reverse("reporting:survey_answer", args=[self.mhlw_r.pk])
        page = self.client.get(url)
        self.assertContains(page, "利用状況")
        response = self.client.post(url, {
            f"q_{self.q[1].pk}": "試行中", f"q_{self.q[2].pk}": ["翻訳", "文書作成"], f"q_{self.q[3].pk}": "1,200",
            f"q_{self.q[4].pk}": "2025-04-01", f"q_{self.q[5].pk}": "研修が必要",
            f"q_{self.q[6].pk}": SimpleUploadedFile("規程.txt", "生成AI利用規程".encode()),
            "action": "submit",
        })
        self.assertEqual(response.status_code, 302)
        values = {a.question.position: a.value for a in Answer.objects.filter(recipient=self.mhlw_r)}
        self.assertEqual(values, {1: "試行中", 2: ["文書作成", "翻訳"], 3: "1200", 4: "2025-04-01", 5: "研修が必要",
                                  6: "規程.txt"})
        stored = Answer.objects.get(recipient=self.mhlw_r, question=self.q[6])
        download = self.client.get(reverse("reporting:survey_file", args=[stored.pk]))
        self.assertEqual(b"".join(download.streaming_content).decode(), "生成AI利用規程")
        self.login(self.pjmo_other)
        self.assertEqual(self.client.get(reverse("reporting:survey_file", args=[stored.pk])).status_code, 404)
        self.mhlw_r.refresh_from_db()
        self.assertIsNotNone(self.mhlw_r.submitted_at)

    def test_a_file_of_exactly_10_mb_is_accepted_and_one_byte_more_is_refused_on_the_page(self):
        self.login(self.pjmo)
        url = reverse("reporting:survey_answer", args=[self.mhlw_r.pk])
        limit = 10 * 1024 * 1024
        too_big = self.client.post(url, {f"q_{self.q[6].pk}": SimpleUploadedFile("大きすぎる.pdf", b"x" * (limit + 1)),
                                         f"q_{self.q[5].pk}": "添付あり", "action": "save"})
        self.assertEqual(too_big.status_code, 200)
        self.assertContains(too_big, "Q6：ファイルは10MB以下にしてください")
        self.assertNotContains(too_big, "Q6: files must be 10 MB or smaller")
        # All or nothing: the text answer given with the file was not saved either.
        self.assertFalse(Answer.objects.filter(recipient=self.mhlw_r).exists())

        at_limit = self.client.post(url, {f"q_{self.q[6].pk}": SimpleUploadedFile("規程.pdf", b"x" * limit),
                                          "action": "save"})
        self.assertEqual(at_limit.status_code, 302)
        stored = Answer.objects.get(recipient=self.mhlw_r, question=self.q[6])
        self.assertEqual(stored.file.size, limit)

    def test_submitting_without_a_required_answer_is_refused(self):
        with self.assertRaisesMessage(ApplicationError, "Q1"):
            self.answer(self.mhlw_r, self.pjmo, {5: "メモ"})
        self.answer(self.mhlw_r, self.pjmo, {5: "メモ"}, submit=False)  # saving a draft is fine

    def test_bad_values_name_the_question(self):
        with self.assertRaisesMessage(ApplicationError, "Q3"):
            self.answer(self.mhlw_r, self.pjmo, {1: "試行中", 3: "たくさん"})
        with self.assertRaisesMessage(ApplicationError, "Q1"):
            self.answer(self.mhlw_r, self.pjmo, {1: "その他"})

    def test_another_ministry_cannot_answer_or_see_this_response(self):
        with self.assertRaises(PermissionDenied):
            self.answer(self.mhlw_r, self.pjmo_other, {1: "試行中"})
        self.login(self.pjmo_other)
        self.assertEqual(self.client.get(reverse("reporting:survey_answer", args=[self.mhlw_r.pk])).status_code, 404)

    def test_results_aggregate_submitted_answers_in_tables_and_charts(self):
        self.answer(self.mhlw_r, self.pjmo, {1: "試行中", 2: ["翻訳", "分析"], 3: "100", 5: "課題A"})
        self.answer(self.moj_r, self.pjmo_other, {1: "試行中", 2: ["翻訳"], 3: "50.5"})
        recipients = list(self.survey.recipients.all())
        results = {r["question"].position: r for r in survey_selectors.survey_aggregate(
            survey=self.survey, recipients=recipients)}
        self.assertEqual([(c["choice"], c["n"]) for c in results[1]["counts"]], [("本格利用", 0), ("試行中", 2),
                                                                                   ("予定なし", 0)])
        self.assertEqual([c["n"] for c in results[2]["counts"]], [0, 2, 1])
        numbers = results[3]["numbers"]
        self.assertEqual((str(numbers["sum"]), str(numbers["avg"]), str(numbers["min"]), str(numbers["max"])),
                         ("150.5", "75.25", "50.5", "100"))
        self.login(self.admin)
        page = self.client.get(reverse("reporting:survey_detail", args=[self.survey.pk]))
        self.assertContains(page, '<svg class="bar-chart" role="img"')
        self.assertContains(page, "課題A")

    def test_csv_export_has_a_bom_and_neutralises_formulas(self):
        self.answer(self.mhlw_r, self.pjmo, {1: "試行中", 5: "=HYPERLINK(\"http://x\")"})
        self.answer(self.moj_r, self.pjmo_other, {1: "試行中", 5: "＠SUM(A1)"})
        self.login(self.admin)
        response = self.client.get(reverse("reporting:survey_export", args=[self.survey.pk, "csv"]))
        body = response.content.decode("utf-8")
        self.assertTrue(body.startswith("\ufeff"))
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        self.assertEqual(rows[0][:3], ["organization_code", "organization", "submitted_at"])
        mhlw = next(r for r in rows if r[0] == "MHLW")
        self.assertEqual(mhlw[3], "試行中")
        self.assertEqual(mhlw[7], "'=HYPERLINK(\"http://x\")")
        self.assertEqual(next(r for r in rows if r[0] == "MOJ")[7], "'＠SUM(A1)")

    def test_xlsx_export_opens_with_one_row_per_organization(self):
        from openpyxl import load_workbook

        self.answer(self.mhlw_r, self.pjmo, {1: "試行中", 3: "12", 5: "@SUM(A1)"})
        self.login(self.admin)
        response = self.client.get(reverse("reporting:survey_export", args=[self.survey.pk, "xlsx"]))
        ws = load_workbook(io.BytesIO(response.content)).active
        rows = list(ws.iter_rows(values_only=True))
        self.assertEqual(len(rows), 4)
        mhlw = next(r for r in rows if r[0] == "MHLW")
        self.assertEqual((mhlw[3], mhlw[5], mhlw[7]), ("試行中", 12, "'@SUM(A1)"))

    def test_a_ministry_exports_only_its_own_response(self):
        self.login(self.pjmo)
        response = self.client.get(reverse("reporting:survey_export", args=[self.survey.pk, "csv"]))
        codes = [r[0] for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))][1:]
        self.assertEqual(codes, ["MHLW"])

    def test_a_choice_question_needs_two_choices(self):
        with self.assertRaisesMessage(ApplicationError, "two distinct choices"):
            survey_services.survey_create(actor=self.actor(), title="x", due_on=self.today,
                                          questions=[{"text": "A?", "kind": "choice", "choices": ["はい"]}],
                                          organizations=[self.mhlw])

    def test_the_admin_creates_a_survey_on_the_page(self):
        self.login(self.admin)
        response = self.client.post(reverse("reporting:survey_create"), {
            "title": "調査2", "due_on": "2026-07-01", "organizations": [self.mhlw.pk],
            "q-TOTAL_FORMS": "2", "q-INITIAL_FORMS": "0", "q-MIN_NUM_FORMS": "0", "q-MAX_NUM_FORMS": "50",
            "q-0-text": "件数", "q-0-kind": "number", "q-1-text": "", "q-1-kind": "text",
        })
        self.assertEqual(response.status_code, 302)
        survey = Survey.objects.get(title="調査2")
        # The blank second question is dropped; the survey starts as a draft addressed to 厚生労働省.
        self.assertEqual(list(survey.questions.values_list("text", "kind")), [("件数", "number")])
        self.assertEqual(list(survey.recipients.values_list("organization", flat=True)), [self.mhlw.pk])
        self.assertEqual(survey.status, "draft")
        self.assertEqual(response["Location"], survey.get_absolute_url())
        self.assertContains(self.client.get(response["Location"]), "調査2")

    def test_drafts_are_hidden_from_ministries(self):
        draft = survey_services.survey_create(actor=self.actor(), title="下書き調査", due_on=self.today,
                                              questions=[{"text": "A?", "kind": "text"}], organizations=[self.mhlw])
        self.login(self.pjmo)
        self.assertEqual(self.client.get(reverse("reporting:survey_detail", args=[draft.pk])).status_code, 404)
