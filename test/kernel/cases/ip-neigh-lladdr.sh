# ip neigh add with invalid link-layer addresses. iproute2's ll_addr_a2n (lib/ll_addr.c) reads
# each colon-separated part with sscanf("%x"), names only the part it could not read, and sends
# what it read; the kernel rejects an address shorter than the device's (6 bytes for a veth).
# The MACs printed are masked when transcripts are compared; unit tests check their values.
ip link add v1 type veth peer name v2
ip addr add 10.0.0.1/24 dev v1
ip neigh add 10.0.0.3 lladdr zz:00:00:00:00:01 dev v1
ip neigh add 10.0.0.4 lladdr 02:00:00:00:00:0g dev v1
ip neigh add 10.0.0.5 lladdr 1:2:3 dev v1
ip neigh add 10.0.0.6 lladdr 02:00:00:00:00:01:07 dev v1
ip neigh add 10.0.0.7 lladdr 02:00:00:00:00:100 dev v1
ip neigh add 10.0.0.8 lladdr 02::00:00:00:01 dev v1
ip neigh add 10.0.0.9 lladdr "" dev v1
ip neigh add 10.0.0.10 lladdr 2:0:0:0:0:1 dev v1
ip neigh add 10.0.0.11 lladdr 0x2:0:0:0:0:1f dev v1
ip neigh add 10.0.0.12 lladdr 02:00:00:00:00:-1 dev v1
ip neigh add 10.0.0.13 lladdr 1.2.3.4 dev v1
ip neigh add 10.0.0.14 lladdr 02:00:00:00:00:1g2 dev v1
ip neigh add 10.0.0.15 lladdr 02:00:00:00:00:01 dev nosuch
ip neigh get 10.0.0.4 dev v1
ip neigh get 10.0.0.6 dev v1
ip neigh get 10.0.0.10 dev v1
ip neigh get 10.0.0.11 dev v1
ip neigh get 10.0.0.14 dev v1
