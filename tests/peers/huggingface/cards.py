"""Model cards made and read by the real `huggingface_hub`, for tests/tests/hub_cards.rs.

`python cards.py make` prints a JSON list of cards, each {"id", "text", "payload"}: the
card as `ModelCard` writes it (or as the Hub's documentation shows one written by hand)
and its front matter as JSON (what an API client or an agent sends), with the Agora keys
`organisation`, `name` and `visibility` added where the card lacks them.

`python cards.py compare` reads a JSON list of {"id", "sent", "added", "served"} on stdin:
the card sent, the Agora keys added to it, and the `card.md` the hub served back. It prints,
for each, whether `ModelCard(served)` has the same `data` (as a dict) and the same
`eval_results` as the card sent with those keys.
"""

import json
import sys

import yaml
from huggingface_hub import EvalResult, ModelCard, ModelCardData

ORG = "insee"


def template_cards():
    """Cards made with ModelCard.from_template, together covering every field."""
    full = ModelCardData(
        organisation=ORG,
        name="tpl-full",
        visibility="public",
        language=["en", "pt-BR", "zh-Hant", "es-419", "fra", "multilingual"],
        license="apache-2.0",
        library_name="transformers",
        tags=["occupation", "isco", "coding"],
        datasets=["insee/census-2021", "insee/labour-force"],
        metrics=["accuracy", "f1"],
        base_model=["camembert-base", "xlm-roberta-base"],
        pipeline_tag="text-classification",
        model_name="isco-coder",
        inference={"parameters": {"top_k": 3}},
        widget=[{"text": "boulanger pâtissier", "example_title": "Baker"}],
        co2_eq_emissions={
            "emissions": 1234.5,
            "source": "CodeCarbon",
            "training_type": "fine-tuning",
            "geographical_location": "Paris, France",
            "hardware_used": "1 x A100",
        },
        thumbnail="https://example.org/isco.png",
        base_model_relation="merge",
        new_version="insee/isco-coder-2",
        eval_results=[
            EvalResult(
                task_type="text-classification",
                task_name="Occupation coding",
                dataset_type="insee/census-2021",
                dataset_name="Census 2021 (held out)",
                dataset_config="fr",
                dataset_split="test",
                dataset_revision="5503434ddd753f426f4b38109466949a1217c2bb",
                dataset_args={"year": 2021, "level": "4-digit"},
                metric_type="accuracy",
                metric_value=0.912,
                metric_name="Top-1 accuracy",
                metric_config="micro",
                metric_args={"k": 1},
                verified=False,
                source_name="INSEE evaluation",
                source_url="https://example.org/eval",
            ),
            EvalResult(
                task_type="text-classification",
                dataset_type="insee/census-2021",
                dataset_name="Census 2021 (held out)",
                dataset_split="test",
                metric_type="f1",
                metric_value=0.87,
            ),
            EvalResult(
                task_type="token-classification",
                dataset_type="insee/addresses",
                dataset_name="Addresses",
                metric_type="f1",
                metric_value=95,
            ),
        ],
    )
    small = ModelCardData(
        organisation=ORG,
        name="tpl-small",
        visibility="public",
        language="de",
        license="other",
        license_name="destatis-open",
        license_link="LICENSE",
        library_name="scikit-learn",
        datasets="destatis/enterprises",
        metrics="rmse",
        base_model="none/baseline",
        pipeline_tag="tabular-regression",
        inference=False,
        co2_eq_emissions=12,
    )
    forecast = ModelCardData(
        organisation=ORG,
        name="tpl-forecast",
        visibility="public",
        language=["es", "es-MX"],
        license="cc-by-4.0",
        pipeline_tag="time-series-forecasting",
        tags=["nowcasting"],
        model_name="gdp-nowcast",
        eval_results=[
            EvalResult(
                task_type="time-series-forecasting",
                dataset_type="inegi/igae",
                dataset_name="IGAE",
                metric_type="mape",
                metric_value=1.7e-05,
            )
        ],
    )
    return [
        ("tpl-full", str(ModelCard.from_template(full, model_id="isco-coder"))),
        ("tpl-small", str(ModelCard.from_template(small))),
        ("tpl-forecast", str(ModelCard.from_template(forecast))),
    ]


# Cards written by hand in the shapes the Hub's documentation shows (the model-card
# metadata specification, `modelcard.md`, and the guide's examples).
HAND = {
    "hand-spec": """---
language:
- fr
- en
license: apache-2.0
library_name: allennlp
tags:
- audio
- automatic-speech-recognition
datasets:
- common_voice
metrics:
- wer
base_model: stabilityai/stable-diffusion-xl-base-1.0
model-index:
- name: my-asr
  results:
  - task:
      type: automatic-speech-recognition
      name: Speech Recognition
    dataset:
      type: common_voice
      name: Common Voice (French)
      config: fr
      split: test
      revision: 5503434ddd753f426f4b38109466949a1217c2bb
      args:
        language: fr
        date: '20220301'
    metrics:
    - type: wer
      value: 20.9
      name: Test WER
      config: default
      args:
        max_order: 4
      verified: false
    source:
      name: Open LLM Leaderboard
      url: https://huggingface.co/spaces/open-llm-leaderboard
---

# My ASR model

Transcribes French.
""",
    "hand-other": """---
language: multilingual
license: other
license_name: yi-license
license_link: LICENSE
library_name: pytorch
pipeline_tag: image-text-to-text
base_model:
- org/model-a
- org/model-b
base_model_relation: merge
inference: false
widget:
- src: https://example.org/cat.png
  example_title: Cat
thumbnail: https://example.org/thumb.png
co2_eq_emissions: 149.2
---

A merged model.
""",
    "hand-regional": """---
language:
- pt-BR
- zh-Hant
- es-419
- gsw
- fre
license: openrail
tags:
- text-classification
pipeline_tag: token-classification
inference:
  parameters:
    aggregation_strategy: simple
extra_gated_prompt: You agree to share your contact information.
extra_gated_fields:
  Company: text
  Country: country
---
""",
}

AGORA_KEYS = ("organisation", "name", "visibility")


def front_matter(text):
    if not text.startswith("---"):
        return {}
    end = text.index("\n---", 3)
    return yaml.safe_load(text[3:end]) or {}


def make():
    cards = template_cards() + list(HAND.items())
    out = []
    for card_id, text in cards:
        payload = front_matter(text)
        added = {}
        for key, value in (("organisation", ORG), ("name", card_id), ("visibility", "public")):
            if key not in payload:
                added[key] = value
        payload.update(added)
        body = ModelCard(text).text
        if body.strip():
            payload["body"] = body
        out.append({"id": card_id, "text": text, "payload": payload, "added": added})
    json.dump(out, sys.stdout)


def compare():
    out = []
    for case in json.load(sys.stdin):
        sent = ModelCard(case["sent"])
        for key, value in case["added"].items():
            setattr(sent.data, key, value)
        served = ModelCard(case["served"])
        out.append(
            {
                "id": case["id"],
                "data_equal": sent.data.to_dict() == served.data.to_dict(),
                "eval_equal": sent.data.eval_results == served.data.eval_results,
                "eval_count": len(served.data.eval_results or []),
                "sent": sent.data.to_dict(),
                "served": served.data.to_dict(),
            }
        )
    json.dump(out, sys.stdout, default=str)


if __name__ == "__main__":
    {"make": make, "compare": compare}[sys.argv[1]]()
