import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { UserService } from './user.service';

@Resolver('User')
export class UserResolver {
  constructor(private readonly users: UserService) {}

  @Query(() => String, { name: 'me' })
  me(@Args('id') id: string) {
    return this.users.find(id); // reach: request
  }

  @ResolveField('teams')
  teams(@Parent() user: { id: string }) {
    return this.users.teamsOf(user.id); // reach: request
  }

  notAField() {
    return this.users.teamsOf('x'); // reach: none
  }
}
