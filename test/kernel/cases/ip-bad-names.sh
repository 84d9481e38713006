# Names iproute2 rejects before it sends anything: netns names (ipnetns.c, is_valid_netns_name)
# and link names (lib/utils.c, check_ifname: empty, 16 or more bytes, '/' or white space).
ip netns add ""
ip netns add ../x
ip netns add a/b
ip netns add .
ip netns add ..
ip netns add "has space"
ip netns add okns
ip netns list
ip link add a/b type bridge
ip link add "has space" type bridge
ip link add name "" type bridge
ip link add abcdefghijklmnop type bridge
ip link add abcdefghijklmno type bridge
ip link add name . type bridge
ip link add name .. type bridge
ip link add name x:y type bridge
ip link add v1 type veth peer name "p 1"
ip link add v1 type veth peer name abcdefghijklmnopq
ip link add v1 type veth peer name v1p
ip link set v1 name "a b"
ip link set v1 name a/b
ip link set v1 name abcdefghijklmnop
ip link set v1 name ""
ip link set dev "a b" up
ip link del "a b"
ip link show "a b"
ip -br link show
