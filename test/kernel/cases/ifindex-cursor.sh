# Interface indexes come from a cursor per namespace that skips indexes in use. A link moved
# in keeps its index where it is free and leaves the cursor alone, so a later link may take a
# lower index. A deleted link's index is not reused while the cursor is past it.
ip link add x1 type veth peer name x2
ip link del x1
ip link add y1 type veth peer name y2
ip -br link show
ip netns add a
ip netns add b
ip link set y1 netns a
ip -n a link add z1 type veth peer name z2
ip -n a -br link show
ip -n a link set z1 netns b
ip -br link show
ip -n b -br link show
ip netns add c
ip link add va type veth peer name vb
ip link set va netns c
ip -n c link add vc type veth peer name vd
ip -n c -br link
