"""The real `huggingface_hub` client reading a hub, for tests/tests/hf_hub_api.rs.

`python client.py TOKEN` (an empty TOKEN reads anonymously) reads the hub at `HF_ENDPOINT`
with `HfApi.list_models`, `HfApi.model_info` and `ModelCard.load`, and prints one JSON
object of what it saw. A call that raises gives the exception's class name and message.
"""

import json
import sys

from huggingface_hub import HfApi, ModelCard
from huggingface_hub.constants import ENDPOINT

token = sys.argv[1] or False
api = HfApi(endpoint=ENDPOINT, token=token)


def attempt(call):
    try:
        return {"ok": call()}
    except Exception as e:  # the class is what the test checks
        return {"error": type(e).__name__, "message": str(e)}


def ids(**kwargs):
    return [m.id for m in api.list_models(**kwargs)]


def info(repo_id):
    m = api.model_info(repo_id)
    return {
        "id": m.id,
        "author": m.author,
        "sha": m.sha,
        "private": m.private,
        "tags": m.tags,
        "pipeline_tag": m.pipeline_tag,
        "library_name": m.library_name,
        "last_modified": m.last_modified.isoformat() if m.last_modified else None,
        "siblings": [s.rfilename for s in m.siblings or []],
        "card_data": m.card_data.to_dict() if m.card_data else None,
    }


def card(repo_id):
    c = ModelCard.load(repo_id, token=token)
    return {
        "data": c.data.to_dict(),
        "text": c.text,
        "eval_results": len(c.data.eval_results or []),
    }


out = {
    "search": attempt(lambda: ids(search="occupation")),
    "author": attempt(lambda: ids(author="INEGI")),
    "filter_language": attempt(lambda: ids(filter="fr")),
    "filter_many": attempt(lambda: ids(filter=["text-classification", "license:apache-2.0"])),
    "pipeline_tag": attempt(lambda: ids(pipeline_tag="text-classification")),
    "by_created": attempt(lambda: ids(author="inegi", sort="created_at", limit=2)),
    "bulk": attempt(lambda: ids(search="bulk-")),
    "sort_downloads": attempt(lambda: ids(sort="downloads")),
    "info": attempt(lambda: info("inegi/sinco-occupation-coder")),
    "info_private": attempt(lambda: info("inegi/private-coder")),
    "info_missing": attempt(lambda: info("inegi/no-such-model")),
    "card": attempt(lambda: card("inegi/sinco-occupation-coder")),
    "card_private": attempt(lambda: card("inegi/private-coder")),
}
print(json.dumps(out))
