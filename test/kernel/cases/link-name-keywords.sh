# iproute2 reads some words of ip link add/set/del as abbreviated keywords before it takes them
# as a link name: a and ad are "address", b "broadcast", t "txqueuelen", m "master", d
# "dynamic", l "link", al "alias". A link with such a name needs "dev" or "name" in front.
ip link add a type veth peer name b
ip link add t type bridge
ip link add m type bridge
ip link add d type bridge
ip link add l type bridge
ip link add al type bridge
ip link add name a type veth peer name b
ip link set a up
ip link set dev a up
ip link del a
ip link add name x address 02:00:00:00:00:01 type bridge
ip -br link show x
ip link add name y address zz:00 type bridge
ip link add q type veth peer name qq
ip link set q address 02:00:00:00:00:09
ip link set q addr 02:00:00:00:00:0a
ip -br link show q
ip link del dev a
ip -br link show b
