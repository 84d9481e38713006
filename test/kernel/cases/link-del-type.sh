# ip link del with a type: iproute2 sends the kind along and the kernel deletes the link
# whatever kind is named, as long as the device exists.
ip link add v1 type veth peer name w1
ip link add v2 type veth peer name w2
ip link add v3 type veth peer name w3
ip link add br0 type bridge
ip link del v1 type veth
ip link delete dev v2 type bridge
ip link del br0 type bridge
ip link del nosuch type veth
ip link del type veth
ip link del
ip link del v3 type
ip link show
