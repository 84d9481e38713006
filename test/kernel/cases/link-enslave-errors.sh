# Enslaving links that the bridge driver (net/bridge/br_if.c, br_add_if) rejects.
ip netns add other
ip link add br9 type bridge
ip link add br8 type bridge
ip link add v1 type veth peer name v2
ip link add o1 type veth peer name o2 netns other
ip link set br9 master br9
ip link set br9 master br8
ip link set v1 master v2
ip link set lo master br9
ip link set o1 master br9
ip link set v1 master br9
ip link set v1 master br9
ip link set br9 master v1
ip link set v2 master lo
ip link set v1 master br8
ip -br link show
ip link set dev v1 nomaster
ip link set dev v1 nomaster
ip -br link show master br8
