"""The deployment as files, read as their tools and operators read them: the dashboard JSON loads
and every panel queries something; every alert has a runbook; every metric the rules and the
dashboard name is one the web process or the worker really exports; the compose stack, Caddy,
Prometheus and the Kubernetes manifests agree on health checks, ports and users.
(`./run deploy-check` runs the tools themselves: docker-compose, caddy, promtool, kubernetes-validate.)"""
import json
import re
from pathlib import Path

import pytest
import yaml
from prometheus_client import CollectorRegistry

from chopbar.app import create_app
from chopbar.settings import Settings
from chopbar.worker import jobs_for, worker_metrics
from channels.keys import DATABASE, METRICS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
METRIC = re.compile(r"\bchopbar_[a-z0-9_]+")
SUFFIXES = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_count", "_sum", "_created"),
            "gauge": ("",), "summary": ("", "_count", "_sum", "_created")}


def exported(registry: CollectorRegistry) -> set[str]:
    """The sample names a scrape of `registry` can carry, samples or not yet."""
    names = set()
    for family in registry.collect():
        names |= {family.name + suffix for suffix in SUFFIXES.get(family.type, ("",))}
    return names


@pytest.fixture
async def exports(tmp_path):
    """What the web process and the worker export, once both are built as `serve` and `worker` build them."""
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'names.sqlite3'}", seed_demo=False,
                        run_worker=False, spool_path=str(tmp_path / "spool.jsonl"))
    app = create_app(settings)
    metrics, _ = worker_metrics(settings, app[DATABASE])
    jobs = jobs_for(settings, app[DATABASE], metrics)
    yield exported(app[METRICS]) | exported(metrics.registry)
    for job in jobs:
        if job.close is not None:
            await job.close()
    await app[DATABASE].close()


def rules() -> list[dict]:
    loaded = yaml.safe_load((DEPLOY / "prometheus" / "rules.yml").read_text())
    return [rule for group in loaded["groups"] for rule in group["rules"]]


def dashboard() -> dict:
    return json.loads((DEPLOY / "grafana" / "dashboards" / "chopbar.json").read_text())


def panels() -> list[dict]:
    return [p for p in dashboard()["panels"] if p["type"] != "row"]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_alert_says_what_to_look_at_first():
    alerts = rules()
    assert {"ChopbarHighErrorRate", "ChopbarUssdHopSlow", "ChopbarOutboxBehind", "ChopbarPaymentProviderBreakerOpen",
            "ChopbarPaymentProviderFailing", "ChopbarOrdersNotAccepted", "ChopbarNoWorkerAlive"} <= {a["alert"] for a in alerts}
    for alert in alerts:
        assert alert["annotations"]["summary"] and len(alert["annotations"]["runbook"]) > 40, alert["alert"]
        assert alert["labels"]["severity"] in ("page", "ticket")


def test_the_dashboard_loads_and_every_panel_queries_the_provisioned_prometheus():
    loaded = dashboard()
    assert loaded["uid"] == "chopbar"
    source = yaml.safe_load((DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml").read_text())
    uid = source["datasources"][0]["uid"]
    ids = [p["id"] for p in loaded["panels"]]
    assert len(ids) == len(set(ids))
    for panel in panels():
        assert panel["targets"], panel["title"]
        assert panel["datasource"]["uid"] == uid
        assert all(target["expr"] and METRIC.search(target["expr"]) for target in panel["targets"]), panel["title"]


async def test_every_metric_the_rules_and_the_dashboard_name_is_exported(exports):
    named = {name for rule in rules() for name in METRIC.findall(rule["expr"])}
    named |= {name for panel in panels() for target in panel["targets"] for name in METRIC.findall(target["expr"])}
    assert named - exports == set()
    wanted = {  # the list, each on the dashboard
        "chopbar_orders_placed_total", "chopbar_order_transitions_total", "chopbar_payment_requests_total",
        "chopbar_payment_request_seconds_bucket", "chopbar_payment_breaker_open", "chopbar_outbox_unsent",
        "chopbar_outbox_oldest_unsent_seconds", "chopbar_messages_sent_total", "chopbar_order_acceptance_seconds_bucket",
        "chopbar_delivery_dispatch_seconds_bucket", "chopbar_delivery_jobs_untaken", "chopbar_ussd_hop_seconds_bucket",
        "chopbar_ussd_sessions_abandoned_total", "chopbar_worker_loop_seconds_bucket", "chopbar_worker_heartbeat_seconds",
    }
    on_dashboard = {name for panel in panels() for target in panel["targets"] for name in METRIC.findall(target["expr"])}
    assert wanted - on_dashboard == set()


def test_the_metric_check_would_see_a_name_nobody_exports(exports):
    assert "chopbar_orders_placed_total" in exports and "chopbar_ordrs_placed_total" not in exports


def test_compose_health_checks_the_processes_and_prometheus_scrapes_each():
    services = compose()["services"]
    webs = sorted(name for name, service in services.items() if service.get("command") == ["chopbar", "serve"])
    assert len(webs) >= 2
    for name in webs:
        assert "/readyz" in " ".join(services[name]["healthcheck"]["test"])
    assert "/healthz" in " ".join(services["worker"]["healthcheck"]["test"])
    assert "9101" in " ".join(services["worker"]["healthcheck"]["test"])
    scrape = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())["scrape_configs"]
    jobs = {job["job_name"]: job for job in scrape}
    assert sorted(jobs["chopbar-web"]["static_configs"][0]["targets"]) == [f"{name}:8080" for name in webs]
    assert jobs["chopbar-worker"]["dns_sd_configs"][0] == {"names": ["worker"], "type": "A", "port": 9101, "refresh_interval": "30s"}
    caddy = (DEPLOY / "caddy" / "Caddyfile").read_text()
    assert "health_uri /readyz" in caddy
    assert re.search(r"to " + " ".join(f"{name}:8080" for name in webs), caddy)
    assert services["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"
    assert int(services["pgbouncer"]["environment"]["MAX_PREPARED_STATEMENTS"]) > 0  # asyncpg's named statements


def test_the_image_and_every_pod_run_as_a_user_that_is_not_root():
    assert re.search(r"^USER nobody$", (ROOT / "Dockerfile").read_text(), re.M)
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            spec = doc.get("spec", {}).get("template", {}).get("spec")
            if spec is None:
                continue
            assert spec["securityContext"]["runAsNonRoot"] is True, path.name
            for container in spec["containers"]:
                assert container["securityContext"]["allowPrivilegeEscalation"] is False, path.name


def test_the_kubernetes_probes_ask_what_compose_asks():
    docs = {doc["metadata"]["name"] + "/" + doc["kind"]: doc
            for path in (DEPLOY / "kubernetes").glob("*.yaml") for doc in yaml.safe_load_all(path.read_text())}
    web = docs["chopbar-web/Deployment"]["spec"]["template"]["spec"]["containers"][0]
    assert (web["readinessProbe"]["httpGet"]["path"], web["livenessProbe"]["httpGet"]["path"]) == ("/readyz", "/healthz")
    worker = docs["chopbar-worker/Deployment"]["spec"]["template"]["spec"]["containers"][0]
    assert worker["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}
    assert {"chopbar-web/PodDisruptionBudget", "chopbar-web/HorizontalPodAutoscaler", "chopbar-migrate/Job"} <= set(docs)
