module graph_engine/benchmarks/loadgen

go 1.22
