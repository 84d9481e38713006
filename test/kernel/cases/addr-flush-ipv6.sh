# ip addr flush removes IPv6 addresses too: a link's link-local address (and its solicited-node
# group) and lo's ::1. They come back when the link next comes up, not on a carrier change;
# -4 flushes IPv4 only.
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip link set lo up
ip addr add 10.0.0.1/24 dev v0
sleep 3
ip addr flush dev v0
ip addr show dev v0
bridge fdb show dev v0
ip link set v1 down
ip link set v1 up
sleep 3
ip addr show dev v0
bridge fdb show dev v0
ip -4 addr flush dev v1
ip addr show dev v1
ip link set v0 down
ip link set v0 up
sleep 3
ip addr show dev v0
bridge fdb show dev v0
ip addr flush dev lo
ip addr show dev lo
ip link set lo down
ip link set lo up
ip addr show dev lo
