# A bridge takes its ports' smallest MTU (br_mtu_auto_adjust) when a port joins or leaves and
# when a port's MTU changes, and 1500 without ports, until its own MTU is set by hand.
ip link add br0 type bridge
ip link add a0 type veth peer name a1
ip link add b0 type veth peer name b1
ip link set a0 mtu 9000
ip link set b0 mtu 1400
ip link show br0
ip link set a0 master br0
ip link show br0
ip link set b0 master br0
ip link show br0
ip link set b0 mtu 1450
ip link show br0
ip link set b0 nomaster
ip link show br0
ip link del a0
ip link show br0
ip link set b0 master br0
ip link show br0
ip link set br0 mtu 1300
ip link show br0
ip link set b0 mtu 1200
ip link show br0
ip link add c0 type veth peer name c1
ip link set c0 master br0
ip link show br0
