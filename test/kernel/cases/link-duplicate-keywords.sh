# ip link keywords given twice: mtu, name and netns are duplicates, a second device is the
# garbage word, and ip link add with both a device and "name" fails. address, master and up/down
# take the last value.
ip link add v0 type veth peer name v1
ip link add br0 type bridge
ip netns add a
ip link set v0 mtu 1500 mtu 1400
ip link set v0 name v7 name v8
ip link set v0 netns a netns a
ip link set dev v1 up dev v0
ip link set v1 up v0
ip link set v0 master br0 master br0
ip link set v0 address 02:00:00:00:00:01 address 02:00:00:00:00:02
ip link set v0 up down
ip link set v0 nomaster master br0
ip link show v0
ip link set v0 mtu 1400 name v0 mtu 1300
ip link add v2 name v4 type veth peer name v3
ip link show
