# ip link set and add: renaming an up link, a missing master, a name clash on a move, a
# move that renames, a link made directly in another namespace, the nsids that come with it,
# and sleep without an operand.
ip netns add a
ip netns add b
ip link add v1 type veth peer name v2
ip link set v2 up
ip link set v2 name v3
ip -br link show v3
ip link set v1 master nosuch
ip route add 10.9.0.0/24 dev v3 metric abc
ip netns exec a ip link add v1 type veth peer name p9
ip link set v1 netns a
ip link set v1 netns a name x1
ip netns exec a ip -br link show x1
sleep
ip link add e1 netns a type veth peer name r1 netns b
ip netns exec a ip -br link show e1
ip netns exec b ip -br link show r1
ip netns list
ip link add vb type veth peer name vb2
ip link set vb netns b
ip netns list
