module sluice.dev/benchmarks/injector-load

go 1.24
