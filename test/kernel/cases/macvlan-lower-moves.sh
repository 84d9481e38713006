# A macvlan in a namespace of its own: its addresses, routes and brief lines. It is UP at once,
# because a new macvlan fires a link event. Its MTU is bounded by its lower link's. The lower link
# then moves to another namespace, which the macvlan names through link-netns, and its deletion
# there deletes the macvlan.
ip netns add ns1
ip link add eth0 type veth peer name up0
ip link set up0 up
ip link set eth0 up
ip link add m1 link eth0 type macvlan mode bridge
ip link set m1 netns ns1
ip -n ns1 addr add 192.0.2.11/24 dev m1
ip -n ns1 link set m1 up
sleep 2.5
ip -n ns1 addr show
ip -n ns1 -br addr
ip -n ns1 route
ip -br link show type macvlan
ip -n ns1 -br link show type macvlan
ip -n ns1 link show type veth
ip -n ns1 link set m1 mtu 1500
ip -n ns1 link set m1 mtu 9000
ip link set eth0 mtu 9000
ip -n ns1 link set m1 mtu 9000
ip -n ns1 link show m1
ip netns add ns2
ip link set eth0 netns ns2
ip -n ns1 link show m1
ip -n ns2 link show eth0
ip -n ns2 link del eth0
ip -n ns1 link show
