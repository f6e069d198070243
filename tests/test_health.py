async def test_healthz_answers_ok(chopbar):
    response = await chopbar.get("/healthz")
    assert response.status == 200
    assert (await response.json())["status"] == "ok"


async def test_readyz_reports_each_dependency_reachable(chopbar, settings):
    response = await chopbar.get("/readyz")
    body = await response.json()
    assert response.status == 200, body
    assert body["checks"]["database"] == "ok"
    if settings.redis_url:
        assert body["checks"]["redis"] == "ok"


async def test_metrics_are_prometheus_text_counting_requests(chopbar):
    await chopbar.get("/healthz")
    response = await chopbar.get("/metrics")
    text = await response.text()
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    assert 'chopbar_http_requests_total{method="GET",route="/healthz",status="200"}' in text


async def test_unknown_path_is_404_not_500(chopbar):
    response = await chopbar.get("/no/such/thing")
    assert response.status == 404
