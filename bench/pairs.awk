# Paired time ratios: for every benchmark run of client=CAND, its ns/op divided by that of the
# client=BASE run of the same benchmark just before it (the same round of bench/run.sh, so the
# same machine load). Prints, per benchmark, the median ratio, its range and every ratio.
# -v by=NAME pairs on NAME=… instead of client=….
#
#   awk -v base=raw -v cand=grantkit -f bench/pairs.awk bench/results/update.txt
#   awk -v by=codec -v base=encoding-json -v cand=ogen -f bench/pairs.awk bench/results/codec.txt
BEGIN { if (by == "") by = "client" }
/^Benchmark/ && $4 == "ns/op" {
	name = $1
	sub(/-[0-9]+$/, "", name) # the GOMAXPROCS suffix
	if (!match(name, by "=[^/]+")) next
	client = substr(name, RSTART + length(by) + 1, RLENGTH - length(by) - 1)
	key = substr(name, 1, RSTART - 1) substr(name, RSTART + RLENGTH)
	sub(/\/$/, "", key)
	sub(/^Benchmark/, "", key)
	if (client == base) last[key] = $3
	if (client == cand && (key in last)) {
		n[key]++
		r[key, n[key]] = $3 / last[key]
		if (!(key in seen)) { seen[key] = 1; order[++keys] = key }
	}
}
END {
	printf "%-44s %-32s %-13s %s\n", "benchmark", cand "/" base " (median)", "range", "each round"
	for (k = 1; k <= keys; k++) {
		key = order[k]; m = n[key]
		for (i = 1; i <= m; i++) v[i] = r[key, i]
		list = ""
		for (i = 1; i <= m; i++) list = list sprintf(" %.3f", v[i])
		for (i = 2; i <= m; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
		med = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
		printf "%-44s %-32.3f %.3f–%.3f  %s\n", key, med, v[1], v[m], list
	}
}
