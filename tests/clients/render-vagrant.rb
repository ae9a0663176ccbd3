# SPDX-License-Identifier: GPL-2.0-or-later
#
# ruby render-vagrant.rb DIR OUT
#
# Writes to OUT the libvirt domain XML that vagrant-libvirt would send for
# the Vagrantfile in DIR: Vagrant loads and validates the Vagrantfile, and
# vagrant-libvirt's own CreateDomain action renders its domain template.
# Only the connection is replaced, by one that keeps the XML instead of
# handing it to libvirtd; the caller checks it with libvirt's tools.
# The machine runs no VM: `vagrant up` would need libvirtd, KVM and a box.

require 'vagrant'
require 'vagrant-libvirt'

# The part of fog-libvirt's connection that CreateDomain calls.
Servers = Struct.new(:path) do
  def create(xml:)
    File.write(path, xml)
    Struct.new(:id).new('rendered')
  end
end
Connection = Struct.new(:servers)
Driver = Struct.new(:connection)

def machine_of(dir)
  env = Vagrant::Environment.new(cwd: dir, home_path: File.join(dir, 'home'))
  machine = env.machine(env.machine_names.first, :libvirt)
  # What `vagrant validate` and `vagrant up` check before anything runs.
  errors = machine.config.validate(machine).values.flatten
  abort("Vagrantfile: #{errors.join('; ')}") unless errors.empty?
  machine
end

def render(dir, out)
  machine = machine_of(dir)
  driver = Driver.new(Connection.new(Servers.new(out)))
  machine.provider.define_singleton_method(:driver) { driver }
  action_env = { machine: machine, ui: machine.ui, root_path: dir,
                 domain_name: 'early-bind-vagrant', domain_volumes: [], disks: [] }
  VagrantPlugins::ProviderLibvirt::Action::CreateDomain.new(->(_env) {}, action_env)
                                                       .call(action_env)
end

render(ARGV.fetch(0), ARGV.fetch(1))
