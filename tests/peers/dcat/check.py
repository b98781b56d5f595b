"""Reads the hub's DCAT-AP catalogue in both serialisations with rdflib, validates each
against the DCAT-AP 3.0.0 SHACL shapes with pySHACL, checks that both describe the same
graph, and prints what the Rust test asserts on as one JSON object.

    python check.py SHAPES.ttl CATALOG.ttl CATALOG.jsonld
"""

import json
import sys

import pyshacl
from rdflib import Graph, Namespace, RDF
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")


def validate(data, shapes):
    conforms, _, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False
    )
    return conforms, text


def main():
    shapes_path, turtle_path, jsonld_path = sys.argv[1:4]
    shapes = Graph().parse(shapes_path, format="turtle")
    turtle = Graph().parse(turtle_path, format="turtle")
    jsonld = Graph().parse(jsonld_path, format="json-ld")
    ttl_ok, ttl_report = validate(turtle, shapes)
    jsonld_ok, jsonld_report = validate(jsonld, shapes)
    # The control: the same catalogue without the catalogue's title and publisher (both
    # mandatory) must not conform, or the validation above proves nothing.
    control = Graph()
    for triple in turtle:
        control.add(triple)
    for catalog in turtle.subjects(RDF.type, DCAT.Catalog):
        control.remove((catalog, DCT.title, None))
        control.remove((catalog, DCT.publisher, None))
    control_ok, _ = validate(control, shapes)
    same = isomorphic(turtle, jsonld)
    only_ttl, only_jsonld = [], []
    if not same:
        _, a, b = graph_diff(to_isomorphic(turtle), to_isomorphic(jsonld))
        only_ttl = sorted(" ".join(t.n3() for t in s) for s in a)[:20]
        only_jsonld = sorted(" ".join(t.n3() for t in s) for s in b)[:20]
    catalogs = list(turtle.subjects(RDF.type, DCAT.Catalog))
    datasets = sorted(str(o) for c in catalogs for o in turtle.objects(c, DCAT.dataset))
    titles = {str(s): str(o) for s, o in turtle.subject_objects(DCT.title)}
    descriptions = {str(s): str(o) for s, o in turtle.subject_objects(DCT.description)}
    print(
        json.dumps(
            {
                "turtle_triples": len(turtle),
                "jsonld_triples": len(jsonld),
                "turtle_conforms": ttl_ok,
                "turtle_report": ttl_report,
                "jsonld_conforms": jsonld_ok,
                "jsonld_report": jsonld_report,
                "control_conforms": control_ok,
                "isomorphic": same,
                "only_in_turtle": only_ttl,
                "only_in_jsonld": only_jsonld,
                "catalogs": [str(c) for c in catalogs],
                "datasets": datasets,
                "titles": titles,
                "descriptions": descriptions,
            }
        )
    )


if __name__ == "__main__":
    main()
