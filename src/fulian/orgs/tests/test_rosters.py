"""Organisation rosters through Excel: template, per-row errors, idempotent re-import, scoped export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fulian.orgs.models import MediaAccount, Post, SocialOrganisation, StaffMember, Volunteer, WomensHome
from fulian.orgs.rosters import SPECS
from fulian.people.tests.helpers import read_xlsx, roster_bytes


def upload(client, kind, rows, django_capture_on_commit_callbacks):
    header = [c.title for c in SPECS[kind].columns]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("roster_import", args=[kind]),
                               {"file": SimpleUploadedFile("r.xlsx", roster_bytes(rows, header=header))})
    return client.get(response["Location"]).context["job"]


@pytest.mark.django_db
def test_volunteer_roster_reports_bad_rows_and_reimports_idempotently(client_for, county_chair, tree,
                                                                      django_capture_on_commit_callbacks):
    client = client_for(county_chair)
    rows = [["刘敏", "130123100001", "13800001111", "家政", "巾帼志愿服务队"],
            ["", "130123100001", "", "", ""],
            ["王芳", "130125100201", "", "", ""],
            ["李娟", "999999999999", "", "", ""],
            ["刘敏", "130123100001", "13800001111", "家政", "巾帼志愿服务队"],
            ["陈静", "130123100210", "123", "", ""]]
    job = upload(client, "volunteers", rows, django_capture_on_commit_callbacks)
    assert (job.status, job.created_count, job.error_count) == ("done", 1, 5)
    errors = read_xlsx(b"".join(client.get(reverse("import_job_errors", args=[job.pk])).streaming_content))
    reasons = {(r[0], r[1]): r[3] for r in errors[1:]}
    assert reasons[(3, "姓名")] == "姓名为空。"
    assert "不在您的工作范围内" in reasons[(4, "组织代码")]
    assert "没有代码为999999999999" in reasons[(5, "组织代码")]
    assert "与第2行重复" in reasons[(6, "姓名")]
    assert "11位" in reasons[(7, "电话")]
    again = upload(client, "volunteers", rows[:1], django_capture_on_commit_callbacks)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 1)
    changed = upload(client, "volunteers", [["刘敏", "130123100001", "13800001111", "法律", "巾帼志愿服务队"]],
                     django_capture_on_commit_callbacks)
    assert changed.updated_count == 1 and Volunteer.objects.get().skills == "法律"


@pytest.mark.django_db
def test_each_roster_imports_and_exports(client_for, county_chair, sibling_county_cadre, tree,
                                         django_capture_on_commit_callbacks):
    client = client_for(county_chair)
    cases = {
        "social_orgs": ([["巾帼家政协会", "130123000000", "服务类", "王女士", ""]], SocialOrganisation),
        "homes": ([["恒东社区妇女之家", "130123100001", "居委会二楼", "38.1467", "114.57", "全天", "", ""]],
                  WomensHome),
        "media": ([["微信公众号", "正定女性", "130123000000", "", "18600"]], MediaAccount),
        "posts": ([["130123000000", "", "专职干部", "4", "5"]], Post),
        "staff": ([["李红", "130123000000", "挂职干部", "副主席", "2026-03-01", "2027-02-28", "正定县教育局", ""]],
                  StaffMember),
    }
    for kind, (rows, model) in cases.items():
        job = upload(client, kind, rows, django_capture_on_commit_callbacks)
        assert (job.created_count, job.error_count) == (1, 0), kind
        assert model.objects.count() == 1, kind
        again = upload(client, kind, rows, django_capture_on_commit_callbacks)
        assert again.unchanged_count == 1, kind
        exported = read_xlsx(client.post(reverse("roster_export", args=[kind])).content)
        assert len(exported) == 2, kind
        assert len(read_xlsx(client_for(sibling_county_cadre).post(reverse("roster_export", args=[kind])).content)) == 1
    assert MediaAccount.objects.get().counts.get().followers == 18600
    template = read_xlsx(client.get(reverse("roster_template", args=["homes"])).content)
    assert template[0][:3] == ("名称*", "组织代码*", "地址*")


@pytest.mark.django_db
def test_bad_values_in_other_rosters_name_their_column(client_for, county_chair, tree,
                                                        django_capture_on_commit_callbacks):
    client = client_for(county_chair)
    job = upload(client, "homes", [["之家", "130123100001", "地址", "95", "114", "", "", ""]],
                 django_capture_on_commit_callbacks)
    errors = read_xlsx(b"".join(client.get(reverse("import_job_errors", args=[job.pk])).streaming_content))
    assert errors[1][1] == "纬度" and "-90" in errors[1][3]
    job = upload(client, "posts", [["130123000000", "", "主任", "-1", "x"]], django_capture_on_commit_callbacks)
    errors = read_xlsx(b"".join(client.get(reverse("import_job_errors", args=[job.pk])).streaming_content))
    assert {r[1] for r in errors[1:]} == {"类别", "编制"}  # 在岗 is counted from the roster, never read
