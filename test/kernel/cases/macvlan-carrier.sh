# A macvlan in another namespace follows its lower link's carrier, long after its own namespace
# last changed. Carrier comes on when the veth peer comes up and goes off at once when it goes
# down (an urgent event). The second "on" shows after link watch's one-second delay.
ip link add v0 type veth peer name v1
ip netns add ns1
ip link add m0 link v0 type macvlan
ip link set m0 netns ns1
ip -n ns1 link set m0 up
ip link set v0 up
ip link set v1 up; sleep 1.5
ip -n ns1 link show m0
ip link add d0 type bridge
ip link add d1 type bridge
ip link set v1 down
ip -n ns1 link show m0
ip link add d2 type bridge
ip link set v1 up; sleep 1.5
ip -n ns1 link show m0
ip link set v0 down
ip -n ns1 link show m0
ip -n ns1 link set m0 down
ip link set v0 up
ip -n ns1 link set m0 up
ip -n ns1 link show m0
