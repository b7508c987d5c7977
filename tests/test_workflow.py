"""The Pages workflow (``.github/workflows/publish.yml``): valid, secure, pinned, least privilege.

* ``check-jsonschema`` validates it against GitHub's workflow schema (SchemaStore's, which
  check-jsonschema ships in its wheel: ``--builtin-schema vendor.github-workflows``, so no
  download); ``zizmor`` audits it for what makes a workflow unsafe (unpinned actions,
  broad permissions, credentials left in the checkout, template injection), offline. Each
  has a control that breaks the workflow the way the tool should notice.
* What neither checks, ``workflow_problems`` does: every ``needs`` names a job, and every
  expression ``${{ … }}`` is closed. And: every action is official and pinned to a commit,
  permissions are least-privilege, the jobs test, build and deploy on a push to ``main``.
"""

import re
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
BIN = Path(sys.executable).parent
OFFICIAL = {"actions/checkout", "actions/setup-python", "actions/configure-pages",
            "actions/upload-pages-artifact", "actions/deploy-pages", "actions/cache"}


def check_jsonschema(path):
    return subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", "--verbose",
                           str(path)], capture_output=True, text=True)


def zizmor(path):
    return subprocess.run([str(BIN / "zizmor"), "--offline", "--no-progress", "--format", "plain", str(path)],
                          capture_output=True, text=True)


def broken(tmp_path, text):
    path = tmp_path / "publish.yml"
    path.write_text(text, encoding="utf-8")
    return path


def workflow_problems(text):
    """What a workflow's schema cannot see: a ``needs`` that names no job, an expression left open."""
    flow = yaml.safe_load(text)
    problems = []
    for name, job in flow["jobs"].items():
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            if need not in flow["jobs"]:
                problems.append(f"job {name} needs {need!r}, which is not a job")
    for number, line in enumerate(text.splitlines(), 1):
        if line.count("${{") != line.count("}}"):
            problems.append(f"line {number}: an expression that is not closed: {line.strip()}")
    return problems


def test_the_workflow_is_valid_by_githubs_schema():
    result = check_jsonschema(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_fails_a_broken_workflow(tmp_path):
    """The control: an unknown permission and a timeout that is not a number are caught."""
    text = WORKFLOW.read_text(encoding="utf-8").replace("id-token: write", "id-tokens: write")
    text = text.replace("timeout-minutes: 10", "timeout-minutes: ten")
    result = check_jsonschema(broken(tmp_path, text))
    assert result.returncode != 0
    for expected in ["'id-tokens' was unexpected", "'ten'"]:
        assert expected in result.stdout, result.stdout


def test_zizmor_finds_nothing_unsafe():
    result = zizmor(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_fails_an_unsafe_workflow(tmp_path):
    """The control: an action pinned to a tag, permissions for everything, credentials kept in the checkout."""
    text = WORKFLOW.read_text(encoding="utf-8")
    text = re.sub(r"actions/checkout@[0-9a-f]{40} # (v[\d.]+)", r"actions/checkout@\1", text, count=1)
    text = text.replace("permissions:\n  contents: read", "permissions: write-all")
    text = text.replace("        with:\n          persist-credentials: false\n", "", 1)
    result = zizmor(broken(tmp_path, text))
    assert result.returncode != 0
    for audit in ["unpinned-uses", "excessive-permissions", "artipacked"]:
        assert audit in result.stdout, result.stdout


def test_every_need_names_a_job_and_every_expression_is_closed():
    assert workflow_problems(WORKFLOW.read_text(encoding="utf-8")) == []
    # the control: a job that needs a missing job, and an expression left open
    text = WORKFLOW.read_text(encoding="utf-8").replace("needs: build", "needs: biuld")
    text = text.replace("${{ steps.deployment.outputs.page_url }}", "${{ steps.deployment.outputs.page_url")
    problems = workflow_problems(text)
    assert any("'biuld'" in p for p in problems) and any("page_url" in p for p in problems), problems


def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_every_action_is_official_and_pinned_to_a_commit():
    uses = re.findall(r"^\s*(?:- )?uses: (\S+)(.*)$", WORKFLOW.read_text(encoding="utf-8"), re.M)
    assert uses
    for action, comment in uses:
        name, _, ref = action.partition("@")
        assert name in OFFICIAL, f"{action}: not one of the official actions"
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{action}: not pinned to a full commit SHA"
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", comment), f"{action}: no '# vX.Y.Z' comment naming the release"
    assert {a.partition("@")[0] for a, _ in uses} == OFFICIAL


def test_least_privilege_permissions():
    flow = workflow()
    assert flow["permissions"] == {"contents": "read"}
    granted = {name: job.get("permissions") for name, job in flow["jobs"].items()}
    assert granted.pop("deploy") == {"pages": "write", "id-token": "write"}
    assert all(p is None for p in granted.values()), f"only the deploy job may widen permissions: {granted}"


def test_workflow_tests_builds_and_deploys_on_push_to_main():
    flow = workflow()
    assert flow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key "on" as True
    jobs = flow["jobs"]
    run = lambda job: "\n".join(step.get("run", "") for step in jobs[job]["steps"])  # noqa: E731
    assert "python3 dev.py test" in run("test")
    assert "chromium" in run("test") and jobs["test"]["container"].startswith("debian:")
    assert "python3 dev.py build" in run("build")
    assert jobs["build"]["needs"] == "test" and jobs["deploy"]["needs"] == "build"
    upload = next(s for s in jobs["build"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"
    cached = "\n".join(str(s.get("with", {}).get("path", "")) for j in jobs.values() for s in j["steps"])
    assert "~/.cache/pip" in cached and ".cache" in cached
    assert any(s.get("with", {}).get("cache") == "pip" for s in jobs["build"]["steps"])


