"""Development tools of graph_engine, kept out of the wheel a user installs.

:mod:`graph_engine_devtools.neo4j_local` fetches Neo4j Community 5.26 from Maven Central
and runs it on this machine (the tests, the benchmarks, ``graph-engine neo4j start``);
:mod:`graph_engine_devtools.cli` is the ``graph-engine neo4j`` command group. Installed
by ``scripts/test`` (``pip install -e devtools``) beside the engine.
"""
