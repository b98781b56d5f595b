"""Fills an MLflow tracking store with registered models, versions and runs, for the sync
benchmark. Writes straight to the store (no HTTP), which is much faster than the REST API.

    python mlflow_populate.py sqlite:///PATH/mlflow.db MODELS VERSIONS_PER_MODEL
"""

import sys
import time

from mlflow.tracking import MlflowClient
from mlflow.entities import Metric, Param, RunTag


def main() -> None:
    uri, models, per_model = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    experiment = client.create_experiment(f"bench-{int(time.time())}")
    now = int(time.time() * 1000)
    started = time.time()
    for m in range(models):
        name = f"Bench model {m:05d}"
        client.create_registered_model(
            name,
            tags={"agora.task": "coding", "agora.visibility": "public", "agora.language": "fr,en"},
            description=f"Benchmark model {m}.\n\nCodes activity descriptions into NACE.",
        )
        for v in range(per_model):
            run = client.create_run(experiment, tags={"agora.dataset": "sirene-sample", "agora.split": "test"})
            run_id = run.info.run_id
            client.log_batch(
                run_id,
                metrics=[
                    Metric("accuracy", 0.8 + (v % 10) / 100, now, 0),
                    Metric("f1_macro", 0.7 + (v % 7) / 100, now, 0),
                ],
                params=[Param("lr", "0.1"), Param("epochs", str(5 + v % 3))],
                tags=[RunTag("mlflow.user", "bench")],
            )
            client.create_model_version(name, f"runs:/{run_id}/model", run_id=run_id,
                                        description=f"Version {v + 1} of model {m}")
        if (m + 1) % 50 == 0:
            print(f"{(m + 1) * per_model} versions in {time.time() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
