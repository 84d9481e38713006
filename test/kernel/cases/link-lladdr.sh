# ip link add/set address with link-layer addresses that iproute2's ll_addr_a2n reads loosely
# (sscanf "%x" per colon-separated part) and that the kernel then checks for length.
# The MACs printed are masked when transcripts are compared; unit tests check their values.
ip link add v1 type veth peer name v2
ip link set v1 address zz:00:00:00:00:01
ip link set v1 address 02:00:00:00:00:0g
ip link set v1 address 1:2:3
ip link set v1 address 02:00:00:00:00:01:07
ip link set v1 address 02:00:00:00:00:100
ip link set v1 address 0x2:0:0:0:0:1f
ip link set v1 address 1.2.3.4
ip link set v1 address ""
ip link add name b1 address 1:2:3 type bridge
ip link add name b3 address 02:00:00:00:00:01:07 type bridge
ip link add v3 address 1:2:3 type veth peer name v4
ip link set nosuch address 1:2:3
ip link add name b2 address 02:00:00:00:00:1g2 type bridge
ip -br link show b2
ip -br link show v1
