# macvlan links on a veth. The name after @ is the lower link, or ifN with a netnsid once the
# macvlan moved. M-DOWN and the carrier come from the lower link. The case also covers the modes
# and their errors, EBUSY between macvlans and bridge ports, MTUs bounded by the lower link's, and
# the macvlans deleted with their lower link, also in another namespace.
ip link add v0 type veth peer name v1
ip link add m0 link v0 type macvlan mode bridge
ip link add m1 link v0 type macvlan
ip link show m0
ip link show m1
ip link set m0 up
ip link show m0
ip link set v0 up
ip link show m0
ip link set v1 up
ip link show m0
ip netns add ns1
ip link set m0 netns ns1
ip -n ns1 link show
ip -n ns1 link set m0 up
ip -n ns1 link show m0
ip link set v0 down
ip -n ns1 link show m0
ip link set v0 up
ip -n ns1 link show m0
ip link add m2 link v0 type macvlan mode private
ip link add m3 link v0 type macvlan mode vepa
ip link add m4 link v0 type macvlan mode passthru
ip link add m6 link m1 type macvlan
ip link show m6
ip link add m7 link lo type macvlan
ip link add m8 link nosuch type macvlan
ip link add m9 type macvlan
ip link add m10 link v0 type macvlan mode nosuch
ip link add m10 link v0 type macvlan mode Bridge
ip link add br0 type bridge
ip link set v1 master br0
ip link add m11 link v1 type macvlan
ip link set v0 master br0
ip link set m1 master br0
ip link show m1
ip link show br0
ip link set m1 mtu 1400
ip link set m1 mtu 1600
ip link show br0
ip link set v0 mtu 1300
ip link show m1
ip link show br0
ip link show m6
ip link set v0 mtu 1500
ip link show m6
ip link del m6
ip link show m2
ip link del v0
ip link show
ip -n ns1 link show
